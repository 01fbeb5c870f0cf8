package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// registryClient talks to one repository of one registry over the distribution API.
type registryClient struct {
	log           *logger
	registry      string // host[:port]
	repository    string
	scheme        string // "https", or "http" for insecure registries
	http          *http.Client
	creds         credentials
	actions       string // token scope actions: "push,pull" or "pull"
	authorization string // the Authorization header to send to the registry, once known
}

// response is a finished HTTP exchange; the body is read completely.
type response struct {
	status int
	header http.Header
	body   []byte
}

// httpError is an unexpected status, described like go-containerregistry does: the request,
// then the registry's error codes and messages.
type httpError struct {
	method string
	url    string
	status int
	body   []byte
}

func (e *httpError) Error() string {
	var parsed struct {
		Errors []struct {
			Code    string      `json:"code"`
			Message string      `json:"message"`
			Detail  interface{} `json:"detail,omitempty"`
		} `json:"errors"`
	}
	if json.Unmarshal(e.body, &parsed) == nil && len(parsed.Errors) > 0 {
		var msgs []string
		for _, d := range parsed.Errors {
			msg := d.Code + ": " + d.Message
			if d.Detail != nil {
				msg += fmt.Sprintf("; %v", d.Detail)
			}
			msgs = append(msgs, msg)
		}
		return fmt.Sprintf("%s %s: %s", e.method, e.url, strings.Join(msgs, "; "))
	}
	return fmt.Sprintf("%s %s: unexpected status code %d %s: %s", e.method, e.url, e.status,
		http.StatusText(e.status), strings.TrimSpace(string(e.body)))
}

// newRegistryClient prepares a client for ref's repository, to push (pull false) or to pull.
// Plain HTTP is used only for registries named by --insecure-registry, or with --insecure for
// pushes and --insecure-pull for pulls, as kaniko does; HTTPS trusts the system roots
// (SSL_CERT_FILE / SSL_CERT_DIR) plus any --registry-certificate for that host. Proxies come
// from http_proxy, https_proxy and no_proxy, as in Go's default transport.
func newRegistryClient(log *logger, opts *Options, ref reference, pull bool) (*registryClient, error) {
	insecure, skipVerify, actions := opts.Insecure, opts.SkipTLSVerify, "push,pull"
	if pull {
		insecure, skipVerify, actions = opts.InsecurePull, opts.SkipTLSVerifyPull, "pull"
	}
	scheme := "https"
	if insecure || contains(opts.InsecureRegistries, ref.Registry) {
		scheme = "http"
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if skipVerify || contains(opts.SkipTLSVerifyRegistries, ref.Registry) {
		tlsConfig.InsecureSkipVerify = true
	}
	if certPath, ok := opts.RegistryCertificates[ref.Registry]; ok {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		pem, err := os.ReadFile(certPath)
		if err != nil {
			return nil, fmt.Errorf("reading certificate for %s: %w", ref.Registry, err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("no PEM certificate in %s", certPath)
		}
		tlsConfig.RootCAs = pool
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConfig
	// A registry that stops answering fails the build instead of hanging the test run.
	transport.ResponseHeaderTimeout = 2 * time.Minute
	creds, err := lookupCredentials(log, ref.Registry)
	if err != nil {
		return nil, err
	}
	return &registryClient{
		log:        log,
		registry:   ref.Registry,
		repository: ref.Repository,
		scheme:     scheme,
		http:       &http.Client{Transport: transport},
		creds:      creds,
		actions:    actions,
	}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (c *registryClient) url(path string) string {
	return c.scheme + "://" + c.registry + path
}

// do sends one request and fails unless the status is one of want. The Authorization header
// goes only to the registry itself, never to another host (an upload location elsewhere).
func (c *registryClient) do(method, rawURL string, body []byte, header http.Header, want ...int) (*response, error) {
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, rawURL, reader)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", "kaniko/standin")
	if c.authorization != "" && req.URL.Host == c.registry {
		req.Header.Set("Authorization", c.authorization)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading response: %w", method, rawURL, err)
	}
	for _, w := range want {
		if resp.StatusCode == w {
			return &response{status: resp.StatusCode, header: resp.Header, body: data}, nil
		}
	}
	return nil, &httpError{method: method, url: rawURL, status: resp.StatusCode, body: data}
}

// authorize pings /v2/ and answers the registry's challenge: none, Basic (the config's
// credentials on every request) or Bearer (a token for this repository's push and pull scope,
// or pull only for a client made to pull, fetched from the realm with the credentials, or
// anonymously).
func (c *registryClient) authorize() error {
	c.authorization = ""
	ping, err := c.do(http.MethodGet, c.url("/v2/"), nil, nil, http.StatusOK, http.StatusUnauthorized)
	if err != nil {
		return err
	}
	if ping.status == http.StatusOK {
		return nil
	}
	scheme, params := parseChallenge(ping.header.Get("WWW-Authenticate"))
	switch strings.ToLower(scheme) {
	case "basic":
		if c.creds.Username != "" || c.creds.Password != "" {
			c.authorization = basicAuth(c.creds)
		}
		return nil
	case "bearer":
		if c.creds.RegistryToken != "" {
			c.authorization = "Bearer " + c.creds.RegistryToken
			return nil
		}
		token, err := c.fetchToken(params)
		if err != nil {
			return err
		}
		c.authorization = "Bearer " + token
		return nil
	default:
		return fmt.Errorf("GET %s: unsupported authentication challenge %q", c.url("/v2/"), scheme)
	}
}

func (c *registryClient) fetchToken(params map[string]string) (string, error) {
	realm, err := url.Parse(params["realm"])
	if err != nil || params["realm"] == "" {
		return "", fmt.Errorf("bearer challenge of %s has no valid realm", c.registry)
	}
	q := realm.Query()
	if service := params["service"]; service != "" {
		q.Set("service", service)
	}
	q.Set("scope", "repository:"+c.repository+":"+c.actions)
	realm.RawQuery = q.Encode()
	req, err := http.NewRequest(http.MethodGet, realm.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("User-Agent", "kaniko/standin")
	if c.creds.Username != "" || c.creds.Password != "" {
		req.Header.Set("Authorization", basicAuth(c.creds))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("fetching token: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("fetching token: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", &httpError{method: http.MethodGet, url: realm.String(), status: resp.StatusCode, body: data}
	}
	var body struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(data, &body); err != nil {
		return "", fmt.Errorf("parsing token response from %s: %w", realm.Redacted(), err)
	}
	if body.Token != "" {
		return body.Token, nil
	}
	if body.AccessToken != "" {
		return body.AccessToken, nil
	}
	return "", fmt.Errorf("token response from %s holds no token", realm.Redacted())
}

func basicAuth(c credentials) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(c.Username+":"+c.Password))
}

// parseChallenge splits a WWW-Authenticate header into its scheme and its parameters.
func parseChallenge(header string) (string, map[string]string) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
	params := map[string]string{}
	for rest = strings.TrimSpace(rest); rest != ""; {
		key, after, ok := strings.Cut(rest, "=")
		if !ok {
			break
		}
		key = strings.ToLower(strings.TrimSpace(key))
		var value string
		if strings.HasPrefix(after, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(after) && after[i] != '"'; i++ {
				if after[i] == '\\' && i+1 < len(after) {
					i++
				}
				b.WriteByte(after[i])
			}
			value, rest = b.String(), after[min(i+1, len(after)):]
		} else {
			value, rest, _ = strings.Cut(after, ",")
		}
		params[key] = strings.TrimSpace(value)
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ","))
	}
	return scheme, params
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
