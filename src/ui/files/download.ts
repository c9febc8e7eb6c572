/** Saves text as a file through the browser's download (an object URL on a temporary link). */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  downloadBlob(new Blob([text], { type }), fileName);
}

/**
 * Saves a Blob as a file. A .netcanvas is a Blob of the chunks netcanvasChunks gives, so the browser
 * assembles the file from the tensors' own memory: no one buffer, no string.
 */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
