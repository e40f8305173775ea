/**
 * Structure markers: template constructs that are more than a scalar (conditional fields,
 * loops, toYaml blocks, includes). They are plain objects in the props a construct writes;
 * the emitter turns each into template lines at the indentation where it was written.
 *
 * Where a marker may stand:
 * - as a field value:      `replicas: when(cond, 3)`, `resources: toYaml(V.resources)`
 * - as a list element:     `env: [fixed, range(V.env, ...)]` (its items are spliced in)
 * - spread into a mapping: `labels: { app: 'x', ...spread(include('base.labels')) }`
 */
import { exprOf, hole } from './expr';

export type Marker = When | ToYaml | Range | Include | Verbatim | Comment | FileText;

const registry = new Map<number, MarkerBase>();

abstract class MarkerBase {
  private static nextId = 0;
  /** Identifies the marker where cdk8s replaced it by a placeholder (see resolver.ts). */
  public readonly id = MarkerBase.nextId++;
  constructor() {
    registry.set(this.id, this);
  }
}

/** Fields, items or entries present only when a condition holds; optionally an else branch. */
export class When extends MarkerBase {
  constructor(
    public readonly condition: string,
    public readonly then: unknown,
    public readonly otherwise?: unknown,
  ) {
    super();
  }
}

/** A value from the values file written out with `toYaml`, omitted when empty. */
export class ToYaml extends MarkerBase {
  constructor(
    public readonly expression: string,
    /** Keep the key even when the value is empty (`key: {}`-like output). */
    public readonly always = false,
  ) {
    super();
  }
}

/** A loop over a list or map from the values; the body is written once per element. */
export class Range extends MarkerBase {
  constructor(
    public readonly expression: string,
    public readonly variables: string,
    public readonly body: unknown,
  ) {
    super();
  }
}

/** The output of a named helper, indented into place. */
export class Include extends MarkerBase {
  constructor(
    public readonly name: string,
    /** The context passed to the helper. @default "." */
    public readonly argument = '.',
    /** As a field value: the helper's output as a block string (`key: |-`), e.g. a config file in a ConfigMap. */
    public readonly asText = false,
  ) {
    super();
  }
}

/** YAML text written as is (re-indented, `{{` escaped): data that must stay byte-exact. */
export class Verbatim extends MarkerBase {
  constructor(public readonly text: string) {
    super();
  }
}

/** A chart file's content (`.Files.Get PATH`), indented into place as the value of a key: data kept byte for byte. */
export class FileText extends MarkerBase {
  constructor(public readonly path: string) {
    super();
  }
}

/** `key: fileText(path)`: the YAML in a chart file (path an expression) as the key's content. */
export function fileText<T = any>(path: unknown): T {
  return new FileText(exprOf(path)) as unknown as T;
}

/** A comment saying why, written above the field, item or entries it explains. */
export class Comment extends MarkerBase {
  constructor(
    public readonly text: string,
    /** What the comment is about; nothing for a comment line among a mapping's entries. */
    public readonly subject?: unknown,
  ) {
    super();
  }
}

export function isMarker(value: unknown): value is Marker {
  return value instanceof MarkerBase;
}

/** `COND` holds: emit `then`, else `otherwise` (or nothing). */
export function when<T>(condition: unknown, then: T, otherwise?: T): T {
  return new When(exprOf(condition), then, otherwise) as unknown as T;
}

/** `COND` holds: emit it (`ifSet(V.priorityClassName)` is `when(V.priorityClassName, V.priorityClassName)`). */
export function ifSet<T>(value: T): T {
  return when(value, value);
}

/**
 * A comment that says why, carried into the chart as a YAML comment:
 * - `comment(text, value)` as a field value or list item: the comment, then the field or item;
 * - `...comment(text)` among a mapping's entries: a comment line there.
 */
export function comment<T>(text: string, subject: T): T;
export function comment(text: string): Record<string, any>;
export function comment(text: string, ...subject: unknown[]): unknown {
  if (subject.length === 0) return spread(new Comment(text));
  return new Comment(text, subject[0]);
}

/** `toYaml VALUE`, guarded by `with` so an empty value leaves the key out. */
export function toYaml<T = any>(value: unknown, options: { always?: boolean } = {}): T {
  return new ToYaml(exprOf(value), options.always ?? false) as unknown as T;
}

let rangeDepth = 0;

/** Loop over a map from the values: `range $name, $value := MAP`. */
export function rangeMap<T>(map: unknown, body: (key: string, value: any) => T): T {
  const suffix = rangeDepth === 0 ? '' : String(rangeDepth);
  const k = `$key${suffix}`;
  const v = `$value${suffix}`;
  rangeDepth++;
  try {
    return new Range(exprOf(map), `${k}, ${v}`, body(hole(k), hole(v))) as unknown as T;
  } finally {
    rangeDepth--;
  }
}

/** Loop over a list from the values: `range $item := LIST`. */
export function rangeList<T>(list: unknown, body: (item: any) => T): T {
  const v = rangeDepth === 0 ? '$item' : `$item${rangeDepth}`;
  rangeDepth++;
  try {
    return new Range(exprOf(list), v, body(hole(v))) as unknown as T;
  } finally {
    rangeDepth--;
  }
}

/** Insert a named helper's output (`include "NAME" .`, or with another context) as a block. */
export function include<T = any>(name: string, argument?: unknown): T {
  return new Include(name, argument === undefined ? '.' : exprOf(argument)) as unknown as T;
}

/** A helper's output as the text of a field (`data: { mesh: includeText('x.mesh') }`). */
export function includeText(name: string, argument?: unknown): string {
  return new Include(name, argument === undefined ? '.' : exprOf(argument), true) as unknown as string;
}

/** Block YAML text (at column 0) kept byte-for-byte, e.g. a CRD spec taken as data. */
export function verbatim<T = any>(text: string): T {
  return new Verbatim(text) as unknown as T;
}

/** Key under which a spread marker sits in a mapping. */
export const spreadKey = (m: Marker): string => `\u27e6m:${m.id}\u27e7`;
const SPREAD_KEY = /^\u27e6m:(\d+)\u27e7$/;

/** Spread a marker into a mapping: `{ a: 1, ...spread(toYaml(V.extra)) }`. */
export function spread(marker: unknown): Record<string, any> {
  if (!isMarker(marker)) throw new Error('spread() takes a marker (when, toYaml, rangeMap, include)');
  return { [spreadKey(marker)]: marker };
}

/** Several conditional entries of a mapping at once: `{ ...onlyIf(cond, { a: 1, b: 2 }) }`. */
export function onlyIf(condition: unknown, entries: Record<string, unknown>): Record<string, any> {
  return spread(when(condition, entries));
}

/** The marker a spread key or resolver placeholder stands for, if it is one. */
export function markerOf(text: string): Marker | undefined {
  const m = SPREAD_KEY.exec(text);
  return m ? (registry.get(Number(m[1])) as Marker) : undefined;
}
