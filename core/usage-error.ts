import { InputError } from './errors';

/**
 * A command line that cannot be parsed: an unknown flag or argument, a flag without its value, a missing
 * required flag, a value of the wrong shape. The CLI exits 2 for these (1 for other input errors).
 */
export class UsageError extends InputError {}
