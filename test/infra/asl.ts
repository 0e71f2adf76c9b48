import type { StateMachineDefinition } from './helpers';

/**
 * A small interpreter for the JSONPath flavour of the Amazon States Language, enough to walk the
 * synthesized state machines in tests: reference paths (`$.a.b`, `$$.Execution.Name`), Parameters and
 * ResultSelector with `.$` keys, the intrinsics States.Format / JsonMerge / JsonToString / StringToJson /
 * ArrayLength / ArrayGetItem / MathAdd,
 * ResultPath, Choice rules, Pass, Fail and Catch. A Task stops the walk; the test supplies its result.
 * Like Step Functions, a comparison on a path that does not exist throws (States.Runtime).
 */
export interface AslContext {
  executionName: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export class AslRuntimeError extends Error {}

const MISSING = Symbol('missing');

function lookup(path: string, data: Json, context: AslContext): Json | typeof MISSING {
  if (path === '$$.Execution.Name') return context.executionName;
  if (path === '$') return data;
  if (!path.startsWith('$.')) throw new AslRuntimeError(`unsupported path '${path}'`);
  let value: Json = data;
  for (const part of path.slice(2).split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !(part in value)) return MISSING;
    value = (value as Obj)[part]!;
  }
  return value;
}

export function readPath(path: string, data: Json, context: AslContext): Json {
  const value = lookup(path, data, context);
  if (value === MISSING) throw new AslRuntimeError(`path '${path}' does not exist`);
  return value;
}

/** Evaluates `States.Fn(arg, ...)` with nested intrinsics, paths and literals. */
export function evaluateIntrinsic(expression: string, data: Json, context: AslContext): Json {
  let i = 0;
  const text = expression.trim();
  const skip = () => { while (text[i] === ' ') i++; };
  const parse = (): Json => {
    skip();
    if (text[i] === "'") {
      let out = '';
      for (i++; text[i] !== "'"; i++) {
        if (i >= text.length) throw new AslRuntimeError(`unterminated string in ${text}`);
        out += text[i] === '\\' ? text[++i] : text[i];
      }
      i++;
      return out;
    }
    const m = /^[^,()\s]+/.exec(text.slice(i))!;
    const token = m[0];
    i += token.length;
    if (token.startsWith('$')) return readPath(token, data, context);
    if (token.startsWith('States.')) {
      skip();
      if (text[i++] !== '(') throw new AslRuntimeError(`expected '(' after ${token}`);
      const args: Json[] = [];
      skip();
      if (text[i] === ')') i++;
      else for (;;) {
        args.push(parse());
        skip();
        const c = text[i++];
        if (c === ')') break;
        if (c !== ',') throw new AslRuntimeError(`expected ',' or ')' in ${text}`);
      }
      return call(token, args);
    }
    return JSON.parse(token) as Json;
  };
  const value = parse();
  skip();
  if (i !== text.length) throw new AslRuntimeError(`trailing text in ${text}`);
  return value;
}

function call(name: string, args: Json[]): Json {
  const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
  switch (name) {
    case 'States.Format': {
      const [template, ...values] = args;
      let n = 0;
      return String(template).replace(/\{\}/g, () => {
        const v = values[n++];
        if (typeof v === 'object' && v !== null) throw new AslRuntimeError('States.Format takes no objects or arrays');
        return String(v);
      });
    }
    case 'States.JsonMerge': {
      const [a, b, deep] = args;
      if (!isObj(a!) || !isObj(b!) || deep !== false)
        throw new AslRuntimeError(`States.JsonMerge needs two objects and false, got ${JSON.stringify(args)}`);
      return { ...a, ...b };
    }
    case 'States.JsonToString': return JSON.stringify(args[0]);
    case 'States.StringToJson':
      try {
        return JSON.parse(String(args[0])) as Json;
      } catch {
        throw new AslRuntimeError(`States.StringToJson: not JSON: ${String(args[0])}`);
      }
    case 'States.ArrayLength':
      if (!Array.isArray(args[0])) throw new AslRuntimeError('States.ArrayLength needs an array');
      return args[0].length;
    case 'States.ArrayGetItem': {
      const [array, index] = args;
      if (!Array.isArray(array) || typeof index !== 'number' || !(index >= 0 && index < array.length))
        throw new AslRuntimeError(`States.ArrayGetItem: index ${String(index)} outside the array`);
      return array[index]!;
    }
    case 'States.MathAdd':
      if (typeof args[0] !== 'number' || typeof args[1] !== 'number') throw new AslRuntimeError('States.MathAdd needs two numbers');
      return args[0] + args[1];
    default: throw new AslRuntimeError(`unsupported intrinsic ${name}`);
  }
}

/** Resolves a Parameters / ResultSelector template against `data`. */
export function resolveTemplate(template: Json, data: Json, context: AslContext): Json {
  if (Array.isArray(template)) return template.map((t) => resolveTemplate(t, data, context));
  if (typeof template !== 'object' || template === null) return template;
  const out: Obj = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      const expr = String(value);
      out[key.slice(0, -2)] = expr.startsWith('States.') ? evaluateIntrinsic(expr, data, context) : readPath(expr, data, context);
    } else {
      out[key] = resolveTemplate(value, data, context);
    }
  }
  return out;
}

function applyResultPath(input: Json, resultPath: unknown, result: Json): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const parts = String(resultPath).replace(/^\$\./, '').split('.');
  const copy = structuredClone(input) as Obj;
  let target = copy;
  for (const p of parts.slice(0, -1)) target = (target[p] ??= {}) as Obj;
  target[parts[parts.length - 1]!] = result;
  return copy;
}

type Rule = Record<string, unknown>;

function matches(rule: Rule, data: Json, context: AslContext): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => matches(r, data, context));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => matches(r, data, context));
  if (rule.Not) return !matches(rule.Not as Rule, data, context);
  const variable = String(rule.Variable);
  const found = lookup(variable, data, context);
  if ('IsPresent' in rule) return (found !== MISSING) === rule.IsPresent;
  if (found === MISSING)
    throw new AslRuntimeError(`Invalid path '${variable}': the choice state's condition path references an invalid value`);
  const v = found;
  const is = (b: boolean, key: string) => b === rule[key];
  if ('IsString' in rule) return is(typeof v === 'string', 'IsString');
  if ('IsNumeric' in rule) return is(typeof v === 'number', 'IsNumeric');
  if ('IsBoolean' in rule) return is(typeof v === 'boolean', 'IsBoolean');
  if ('IsNull' in rule) return is(v === null, 'IsNull');
  if ('StringEquals' in rule) return v === rule.StringEquals;
  if ('StringMatches' in rule) {
    const pattern = String(rule.StringMatches).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return typeof v === 'string' && new RegExp(`^${pattern}$`, 's').test(v);
  }
  if ('NumericEquals' in rule) return typeof v === 'number' && v === rule.NumericEquals;
  if ('NumericGreaterThanEquals' in rule) return typeof v === 'number' && v >= (rule.NumericGreaterThanEquals as number);
  if ('BooleanEquals' in rule) return typeof v === 'boolean' && v === rule.BooleanEquals;
  throw new AslRuntimeError(`unsupported choice rule ${JSON.stringify(rule)}`);
}

/** Where a walk stopped: a Task waiting for its result, or a terminal Succeed / Fail. */
export interface Stop {
  state: string;
  type: string;
  data: Json;
  /** Fail states: the error and cause, paths resolved. */
  error?: string;
  cause?: string;
}

/** Runs Pass, Choice, Fail and Succeed states from `from` until a Task or the end. */
export function walk(definition: StateMachineDefinition, from: string, data: Json, context: AslContext): Stop {
  let name = from;
  for (let steps = 0; steps < 100; steps++) {
    const state = definition.States[name];
    if (!state) throw new AslRuntimeError(`no state '${name}'`);
    const s = state as Record<string, unknown>;
    switch (state.Type) {
      case 'Task': return { state: name, type: 'Task', data };
      case 'Succeed': return { state: name, type: 'Succeed', data };
      case 'Fail': {
        const text = (key: 'Error' | 'Cause') =>
          s[`${key}Path`] !== undefined ? String(readPath(String(s[`${key}Path`]), data, context)) : (s[key] as string | undefined);
        return { state: name, type: 'Fail', data, error: text('Error'), cause: text('Cause') };
      }
      case 'Choice': {
        const hit = (s.Choices as Rule[]).find((rule) => matches(rule, data, context));
        const next = (hit?.Next ?? s.Default) as string | undefined;
        if (!next) throw new AslRuntimeError(`no choice of '${name}' matched and it has no Default`);
        name = next;
        break;
      }
      case 'Pass': {
        const result =
          s.Parameters !== undefined ? resolveTemplate(s.Parameters as Json, data, context) : ((s.Result as Json | undefined) ?? data);
        data = applyResultPath(data, s.ResultPath, result);
        if (s.End) return { state: name, type: 'Pass', data };
        name = s.Next as string;
        break;
      }
      default: throw new AslRuntimeError(`unsupported state type ${state.Type}`);
    }
  }
  throw new AslRuntimeError('walk did not stop within 100 states');
}

/** The Task's parameters resolved against its input (what Step Functions would send to the service). */
export function taskParameters(definition: StateMachineDefinition, stop: Stop, context: AslContext): Obj {
  return resolveTemplate(definition.States[stop.state]!.Parameters as Json, stop.data, context) as Obj;
}

/** Continues after a Task that returned `result` (ResultSelector and ResultPath applied). */
export function succeedTask(definition: StateMachineDefinition, stop: Stop, result: Json, context: AslContext): Stop {
  const s = definition.States[stop.state] as Record<string, unknown>;
  const selected = s.ResultSelector !== undefined ? resolveTemplate(s.ResultSelector as Json, result, context) : result;
  return walk(definition, s.Next as string, applyResultPath(stop.data, s.ResultPath, selected), context);
}

/** Continues after a Task that failed with `error`/`cause`, through its first matching Catch. */
export function failTask(definition: StateMachineDefinition, stop: Stop, error: string, cause: string, context: AslContext): Stop {
  const catchers = ((definition.States[stop.state] as Record<string, unknown>).Catch ?? []) as Array<{
    ErrorEquals: string[];
    Next: string;
    ResultPath?: string;
  }>;
  const c = catchers.find((k) => k.ErrorEquals.includes(error) || k.ErrorEquals.includes('States.ALL'));
  if (!c) return { state: stop.state, type: 'Fail', data: stop.data, error, cause };
  return walk(definition, c.Next, applyResultPath(stop.data, c.ResultPath, { Error: error, Cause: cause }), context);
}
