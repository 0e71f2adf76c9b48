/**
 * One command's flags as one table: the parser (parse-command-line.ts) and `--help` (format-help.ts) both read
 * it, so what `--help` says and what is accepted cannot drift apart.
 */
export interface FlagSpec {
  /** the long name, without `--` */
  name: string;
  /** one letter, without `-` */
  short?: string;
  /**
   * string: any text; integer: a whole number ≥ `min` (a usage error otherwise); boolean: no value;
   * choice: one of `choices` (an input error naming them otherwise); list: comma-separated names
   */
  kind: 'string' | 'integer' | 'boolean' | 'choice' | 'list';
  /** what the value looks like in `--help`, e.g. `<dir|s3://...>` */
  value?: string;
  description: string;
  /** the value used when the flag is not given; `--help` prints it */
  default?: string | number;
  /** what `--help` says when there is no plain default value (e.g. "every numeric column") */
  defaultText?: string;
  required?: boolean;
  choices?: readonly string[];
  /** smallest integer accepted (default 1) */
  min?: number;
}

export interface CommandSpec {
  name: string;
  /** the usage line after `residual <name> ` */
  synopsis: string;
  summary: string;
  /** a positional argument, if the command takes one */
  positional?: { name: string; description: string };
  flags: readonly FlagSpec[];
  /** paragraphs printed after the flags */
  notes?: readonly string[];
}

export type FlagValue = string | number | boolean | string[] | undefined;
