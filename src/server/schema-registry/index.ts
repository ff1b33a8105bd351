/**
 * The embedded Confluent-compatible Schema Registry: Confluent's REST API
 * (subjects, versions, schemas by id, compatibility, `/config`) over the
 * engine's in-memory registry, on its own port.
 */
export { startSchemaRegistryServer, SCHEMA_REGISTRY_CONTENT_TYPE, type RunningSchemaRegistry, type SchemaRegistryServerOptions } from './server.js';
export { handleRegistryRequest, type ApiRequest, type ApiResponse } from './api.js';
export { compatibilityProblems, readProblems } from './compatibility.js';
