import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../usage.js';

/**
 * node:util's parseArgs, its refusals turned into UsageError. They are recognised by their
 * ERR_PARSE_ARGS_* code, not by class: under jest's VM modules they come from another realm.
 */
export function parseOptions<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${Reflect.get(error as object, 'message') as string}; usage: ${usage}`);
    }
    throw error;
  }
}

/** An option's value as a whole number ≥ `min`, or a UsageError that points to `help` (e.g. `bench projections --help`). */
export function wholeNumberOption(value: string, name: string, help: string, min = 1): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min)
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, not ${value}; see ${help}`);
  return number;
}
