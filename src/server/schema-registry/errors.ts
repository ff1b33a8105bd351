/** Errors of the embedded Schema Registry, in Confluent's shape `{error_code, message}`. */

/** An error answered with an HTTP status and Confluent's `{error_code, message}` body. */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** The JSON body Confluent answers with. */
  get body(): { error_code: number; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}

/** 40401 */
export const subjectNotFound = (s: string) => new RegistryError(404, 40401, `Subject '${s}' not found.`);
/** 40402 */
export const versionNotFound = (v: number | string) => new RegistryError(404, 40402, `Version ${v} not found.`);
/** 40403 */
export const schemaNotFound = (id?: number) => new RegistryError(404, 40403, id === undefined ? 'Schema not found' : `Schema ${id} not found`);
/** 40404 */
export const subjectSoftDeleted = (s: string) => new RegistryError(404, 40404, `Subject '${s}' was soft deleted.Set permanent=true to delete permanently`);
/** 40405 */
export const subjectNotSoftDeleted = (s: string) => new RegistryError(404, 40405, `Subject '${s}' was not deleted first before being permanently deleted`);
/** 40406 */
export const versionSoftDeleted = (s: string, v: number) =>
  new RegistryError(404, 40406, `Subject '${s}' Version ${v} was soft deleted.Set permanent=true to delete permanently`);
/** 40407 */
export const versionNotSoftDeleted = (s: string, v: number) =>
  new RegistryError(404, 40407, `Subject '${s}' Version ${v} was not deleted first before being permanently deleted`);
/** 40408 */
export const subjectLevelConfigNotFound = (s: string) => new RegistryError(404, 40408, `Subject '${s}' does not have subject-level compatibility configured`);
/** 42201 */
export const invalidSchema = (detail: string) => new RegistryError(422, 42201, `Invalid schema: ${detail}`);
/** 42202 */
export const invalidVersion = (v: string) =>
  new RegistryError(422, 42202, `The specified version '${v}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
/** 42203 */
export const invalidCompatibilityLevel = () =>
  new RegistryError(
    422,
    42203,
    'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
  );
/** 409 */
export const incompatibleSchema = (subject: string, details: readonly string[]) =>
  new RegistryError(409, 409, `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${details.join(', ')}]`);
/** 400 */
export const badRequest = (message: string) => new RegistryError(400, 400, message);
/** 404 for an unknown path. */
export const noRoute = () => new RegistryError(404, 404, 'HTTP 404 Not Found');
/** 405 */
export const methodNotAllowed = () => new RegistryError(405, 405, 'HTTP 405 Method Not Allowed');
