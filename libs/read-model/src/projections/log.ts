/**
 * Where the engine reports what it does. The API's and the projector's JsonLogger fit
 * (`(level, msg, fields) => logger.write(level, msg, fields)`); the engine depends on no logger.
 */
export type ProjectionLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type ProjectionLog = (level: ProjectionLogLevel, msg: string, fields?: Record<string, unknown>) => void;

export const silentLog: ProjectionLog = () => undefined;

export function errorDetails(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code: unknown = Reflect.get(error, 'code');
    return { error: error.name, errorMessage: error.message, ...(typeof code === 'string' ? { errorCode: code } : {}), stack: error.stack };
  }
  return { error: String(error) };
}
