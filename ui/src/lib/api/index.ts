export * from './commands';
export { ApiError, isCommandError, toApiError } from './errors';
