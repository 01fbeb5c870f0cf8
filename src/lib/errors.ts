/** The one way an unknown thrown value becomes text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
