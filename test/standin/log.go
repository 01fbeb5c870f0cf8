package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Log levels, in logrus order.
const (
	levelPanic = iota
	levelFatal
	levelError
	levelWarn
	levelInfo
	levelDebug
	levelTrace
)

var levelNames = []string{"panic", "fatal", "error", "warning", "info", "debug", "trace"}

// logger writes lines like kaniko's logrus output: `INFO[0000] message`, or one JSON object a
// line with --log-format=json. Colour codes are left out.
type logger struct {
	out       io.Writer
	level     int
	json      bool
	timestamp bool
	start     time.Time
}

// newLogger validates --verbosity and --log-format as kaniko does.
func newLogger(out io.Writer, verbosity, format string, timestamp bool) (*logger, error) {
	l := &logger{out: out, timestamp: timestamp, start: time.Now()}
	switch strings.ToLower(verbosity) {
	case "panic":
		l.level = levelPanic
	case "fatal":
		l.level = levelFatal
	case "error":
		l.level = levelError
	case "warn", "warning":
		l.level = levelWarn
	case "info":
		l.level = levelInfo
	case "debug":
		l.level = levelDebug
	case "trace":
		l.level = levelTrace
	default:
		return nil, fmt.Errorf("parsing log level: not a valid logrus Level: %q", verbosity)
	}
	switch format {
	case "text", "color":
	case "json":
		l.json = true
	default:
		return nil, fmt.Errorf("not a valid log format: %q. Please specify one of (text, color, json)", format)
	}
	return l, nil
}

func (l *logger) log(level int, format string, args ...interface{}) {
	if level > l.level {
		return
	}
	msg := fmt.Sprintf(format, args...)
	now := time.Now()
	if l.json {
		line, _ := json.Marshal(map[string]string{
			"level": levelNames[level],
			"msg":   msg,
			"time":  now.UTC().Format(time.RFC3339),
		})
		fmt.Fprintf(l.out, "%s\n", line)
		return
	}
	tag := strings.ToUpper(levelNames[level])[:4]
	if l.timestamp {
		fmt.Fprintf(l.out, "%s[%s] %s\n", tag, now.UTC().Format(time.RFC3339), msg)
	} else {
		fmt.Fprintf(l.out, "%s[%04d] %s\n", tag, int(now.Sub(l.start)/time.Second), msg)
	}
}

func (l *logger) Infof(format string, args ...interface{})  { l.log(levelInfo, format, args...) }
func (l *logger) Warnf(format string, args ...interface{})  { l.log(levelWarn, format, args...) }
func (l *logger) Debugf(format string, args ...interface{}) { l.log(levelDebug, format, args...) }
