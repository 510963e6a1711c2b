export * from './commands';
export * from './mapping';
export * from './signin';
export { ApiError, isCommandError, toApiError } from './errors';
