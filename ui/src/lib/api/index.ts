export * from './boot';
export * from './bundle';
export * from './commands';
export * from './mapping';
export * from './report';
export * from './scim';
export * from './signin';
export * from './window';
export { ApiError, isCommandError, toApiError } from './errors';
