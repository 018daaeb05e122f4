import { ApiClient } from './api-client';
import { configFile, readConfig, resolveConnection } from './config';

/** The API client for this invocation: the saved login, overridden by the environment. */
export function apiClient(env: Record<string, string | undefined> = process.env): ApiClient {
  return new ApiClient(resolveConnection(env, readConfig(configFile(env))));
}
