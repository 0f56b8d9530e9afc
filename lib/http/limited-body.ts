/**
 * The request body as bytes, or a 413 response as soon as it is known to be larger than `limit`:
 * at once from Content-Length, otherwise (a chunked body) when the bytes read so far pass the
 * limit. Never more than `limit` bytes plus one chunk is held in memory.
 */
export async function limitedBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | Response> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) return tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop pulling: the rest of the upload is never read into memory.
      await reader.cancel().catch(() => {});
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** A form body within `limit` (urlencoded or multipart), or a 413; a body that is not a form reads as an empty form. */
export async function limitedFormData(request: Request, limit: number): Promise<FormData | Response> {
  const body = await limitedBody(request, limit);
  if (body instanceof Response) return body;
  const parsed = new Response(body, { headers: { "content-type": request.headers.get("content-type") ?? "" } });
  return parsed.formData().catch(() => new FormData());
}

function tooLarge(limit: number): Response {
  // `connection: close` ends the upload rather than letting the server read and discard the rest.
  return new Response(`Request body too large: the limit is ${limit} bytes.\n`, {
    status: 413,
    headers: { "content-type": "text/plain; charset=utf-8", connection: "close" },
  });
}
