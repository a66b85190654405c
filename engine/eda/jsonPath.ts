/**
 * A small, safe JSON-path evaluator for the field paths a sample reads from a message value:
 * `$` followed by dotted names and bracketed indexes or quoted names — `$.amount`,
 * `$.items[0].price`, `$['unit price']`, `$.readings[-1]` (negative indexes count from the end).
 * No filters, wildcards or scripts: a path names at most one value, and evaluating it only
 * walks own properties (never the prototype chain), so no input can reach code.
 */

export type PathStep = { kind: 'name'; name: string } | { kind: 'index'; index: number };

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

const NAME_START = /[A-Za-z_$]/;
const NAME_PART = /[A-Za-z0-9_$-]/;

/** Parses `$.a.b[0]['c d']` into steps; throws JsonPathError saying where it went wrong. */
export function parseJsonPath(path: string): PathStep[] {
  if (!path.startsWith('$')) throw new JsonPathError(`a path starts with "$": ${path}`);
  const steps: PathStep[] = [];
  let i = 1;
  const fail = (what: string): never => {
    throw new JsonPathError(`${what} at character ${i + 1} of ${path}`);
  };
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.') {
      i++;
      const start = i;
      if (i >= path.length || !NAME_START.test(path[i]!)) fail('expected a name');
      while (i < path.length && NAME_PART.test(path[i]!)) i++;
      steps.push({ kind: 'name', name: path.slice(start, i) });
    } else if (c === '[') {
      i++;
      const quote = path[i];
      if (quote === "'" || quote === '"') {
        i++;
        let name = '';
        while (i < path.length && path[i] !== quote) {
          if (path[i] === '\\' && i + 1 < path.length) i++;
          name += path[i];
          i++;
        }
        if (path[i] !== quote) fail('unterminated quoted name');
        i++;
        steps.push({ kind: 'name', name });
      } else {
        const match = /^-?\d{1,9}/.exec(path.slice(i));
        if (!match) fail('expected an index or a quoted name');
        i += match![0].length;
        steps.push({ kind: 'index', index: Number(match![0]) });
      }
      if (path[i] !== ']') fail('expected "]"');
      i++;
    } else {
      fail(`unexpected "${c}"`);
    }
  }
  return steps;
}

/** The value at `steps` in `root`, or undefined when the path leads nowhere. */
export function evaluateJsonPath(root: unknown, steps: readonly PathStep[]): unknown {
  let current: unknown = root;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    if (step.kind === 'index') {
      if (!Array.isArray(current)) return undefined;
      const index = step.index < 0 ? current.length + step.index : step.index;
      current = index >= 0 && index < current.length ? current[index] : undefined;
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, step.name)) return undefined;
      current = (current as Record<string, unknown>)[step.name];
    }
  }
  return current;
}

/** Formats steps back into a path, quoting names that are not plain identifiers. */
export function formatJsonPath(steps: readonly PathStep[]): string {
  let path = '$';
  for (const step of steps) {
    if (step.kind === 'index') path += `[${step.index}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(step.name)) path += `.${step.name}`;
    else path += `['${step.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return path;
}
