export * from './commands';
export * from './mapping';
export * from './scim';
export * from './signin';
export { ApiError, isCommandError, toApiError } from './errors';
