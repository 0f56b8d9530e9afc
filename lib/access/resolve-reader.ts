import { ANONYMOUS, type Reader } from "./reader";

/**
 * Who is reading, from signed credentials only. Until accounts land every reader is anonymous;
 * no header or unsigned cookie can make a reader more than that.
 */
export async function resolveReader(_cookies: { get(name: string): { value: string } | undefined }): Promise<Reader> {
  return ANONYMOUS;
}
