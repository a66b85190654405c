#!/usr/bin/env node
/**
 * Generates the Kafka wire protocol codecs from Apache Kafka's JSON message definitions.
 *
 *   node scripts/generate-protocol.mjs [--spec-dir DIR] [--out-dir DIR] [--check]
 *
 * Reads every `*.json` in the spec dir (default `../shared/kafka-spec/messages`; they contain `//`
 * comments, stripped here) and writes, into `broker/protocol/messages/generated/`:
 *   - one module per API (request + response), one per header and per data type: interfaces
 *     with every field of every version, and `read…`/`write…` functions over Reader/Writer;
 *   - `index.ts`: the ApiKey table (key, name, valid and flexible versions), header versions,
 *     and a codec table keyed by API key;
 *   - `specs.json`: the definitions with comments and prose removed, which the tests use to
 *     generate arbitrary messages.
 * `--check` writes nothing and fails if the committed files differ from what would be generated.
 *
 * The encoding rules are Kafka's (clients/src/main/resources/common/message/README.md):
 * versions, nullableVersions, flexibleVersions (compact lengths + tagged fields), taggedVersions
 * and tag, default, ignorable.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const args = {
    specDir: resolve(root, '../shared/kafka-spec/messages'),
    outDir: resolve(root, 'broker/protocol/messages/generated'),
    check: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--spec-dir') args.specDir = resolve(argv[++i]);
    else if (arg === '--out-dir') args.outDir = resolve(argv[++i]);
    else if (arg === '--check') args.check = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Reading the definitions

/** Removes `//` comments outside of strings (JSON with comments, as Kafka writes it). */
export function stripComments(text) {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

/** "3+", "1-4", "7", "none" → { lo, hi } (hi may be Infinity), or null for none. */
function parseRange(text) {
  if (text === undefined || text === null) return null;
  const s = String(text).trim();
  if (s === 'none' || s === '') return null;
  let m;
  if ((m = /^(\d+)\+$/.exec(s))) return { lo: Number(m[1]), hi: Infinity };
  if ((m = /^(\d+)-(\d+)$/.exec(s))) return { lo: Number(m[1]), hi: Number(m[2]) };
  if ((m = /^(\d+)$/.exec(s))) return { lo: Number(m[1]), hi: Number(m[1]) };
  throw new Error(`bad version range ${JSON.stringify(text)}`);
}

function intersect(a, b) {
  if (!a || !b) return null;
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : null;
}

function rangeText(r) {
  if (!r) return 'none';
  if (r.hi === Infinity) return `${r.lo}+`;
  return r.lo === r.hi ? `${r.lo}` : `${r.lo}-${r.hi}`;
}

function covers(outer, inner) {
  return !!outer && !!inner && outer.lo <= inner.lo && outer.hi >= inner.hi;
}

/** A TypeScript condition on `version` that is true exactly for `range`, given valid versions. */
function versionCondition(range, valid) {
  const r = intersect(range, valid);
  if (!r) return 'false';
  const lo = r.lo > valid.lo;
  const hi = r.hi < valid.hi;
  if (!lo && !hi) return 'true';
  if (lo && !hi) return `version >= ${r.lo}`;
  if (!lo && hi) return `version <= ${r.hi}`;
  return r.lo === r.hi ? `version === ${r.lo}` : `(version >= ${r.lo} && version <= ${r.hi})`;
}

const camel = (name) => name.charAt(0).toLowerCase() + name.slice(1);

const PRIMITIVES = new Set([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'int64',
  'float64',
  'string',
  'uuid',
  'bytes',
  'records',
]);

// ---------------------------------------------------------------------------------------------
// The model: a message is a tree of structs; each struct has fields.

class Message {
  constructor(spec, file) {
    this.spec = spec;
    this.file = file;
    this.name = spec.name;
    this.valid = parseRange(spec.validVersions);
    this.flexible = intersect(parseRange(spec.flexibleVersions), this.valid);
    this.flexibleFrom = parseRange(spec.flexibleVersions)?.lo ?? null;
    /** name → { name, fields, isTop } in definition order (top struct first). */
    this.structs = new Map();
    this.commonStructs = new Map();
    for (const common of spec.commonStructs ?? []) this.commonStructs.set(common.name, common);
    this.addStruct(spec.name, spec.fields, true);
  }

  addStruct(name, fieldSpecs, isTop = false) {
    if (this.structs.has(name)) {
      throw new Error(`${this.file}: struct ${name} is defined twice`);
    }
    const struct = { name, tsName: name, fields: [], isTop, message: this };
    this.structs.set(name, struct);
    for (const spec of fieldSpecs) struct.fields.push(this.makeField(spec, struct));
    return struct;
  }

  makeField(spec, struct) {
    const isArray = spec.type.startsWith('[]');
    const elem = isArray ? spec.type.slice(2) : spec.type;
    const isStruct = !PRIMITIVES.has(elem);
    if (isStruct && !/^[A-Z]/.test(elem)) throw new Error(`${this.file}: unknown type ${elem}`);
    const versions = intersect(parseRange(spec.versions), this.valid);
    const field = {
      spec,
      name: spec.name,
      prop: camel(spec.name),
      local: `_${camel(spec.name)}`,
      isArray,
      elem,
      isStruct,
      structName: isStruct ? elem : null,
      versions,
      nullable: intersect(parseRange(spec.nullableVersions), versions),
      tagged: intersect(parseRange(spec.taggedVersions), versions),
      tag: spec.tag,
      ignorable: spec.ignorable === true,
      default: spec.default === undefined ? undefined : String(spec.default).trim(),
      flexibleOverride: 'flexibleVersions' in spec ? parseRange(spec.flexibleVersions) : undefined,
      about: spec.about,
      owner: struct,
    };
    if (field.tagged && field.tag === undefined)
      throw new Error(`${this.file}: ${spec.name} has no tag`);
    if (field.tagged && !covers(this.flexible, field.tagged)) {
      throw new Error(`${this.file}: ${spec.name} is tagged in a non-flexible version`);
    }
    if (field.tagged && !covers(field.tagged, field.versions)) {
      throw new Error(`${this.file}: ${spec.name} is tagged in only some of its versions`);
    }
    if (isStruct) {
      if (spec.fields) this.addStruct(elem, spec.fields);
      else if (this.commonStructs.has(elem)) {
        if (!this.structs.has(elem)) this.addStruct(elem, this.commonStructs.get(elem).fields);
      } else if (!this.structs.has(elem)) {
        throw new Error(`${this.file}: struct ${elem} is used but never defined`);
      }
    }
    return field;
  }
}

// ---------------------------------------------------------------------------------------------
// Emitting TypeScript for one module (one or two messages)

class ModuleWriter {
  constructor(messages) {
    this.messages = messages;
    this.lines = [];
    this.needDefault = new Set();
    this.needIsDefault = new Set();
    this.runtimeImports = new Set();
    this.uuidImports = new Set();
    this.writerImports = new Set(['Writer']);
    this.structsByName = new Map();
    // A request and its response may each define a struct of the same name; such names get the
    // message name in front (Kafka's Java classes nest them, which TypeScript modules cannot).
    const counts = new Map();
    for (const message of messages) {
      for (const name of message.structs.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const message of messages) {
      for (const struct of message.structs.values()) {
        if (!struct.isTop && (counts.get(struct.name) > 1 || RESERVED.has(struct.name))) {
          struct.tsName = `${message.name}${struct.name}`;
        }
        if (this.structsByName.has(struct.tsName)) {
          throw new Error(`two structs named ${struct.tsName} in one module`);
        }
        this.structsByName.set(struct.tsName, struct);
      }
    }
  }

  struct(field) {
    return field.owner.message.structs.get(field.structName);
  }

  emit(line = '') {
    this.lines.push(line);
  }

  // --- types ---

  elementType(field) {
    if (field.isStruct) return this.struct(field).tsName;
    switch (field.elem) {
      case 'bool':
        return 'boolean';
      case 'int8':
      case 'int16':
      case 'uint16':
      case 'int32':
      case 'float64':
        return 'number';
      case 'int64':
        return 'bigint';
      case 'string':
      case 'uuid':
        return 'string';
      case 'bytes':
      case 'records':
        return 'Uint8Array';
    }
    throw new Error(`no type for ${field.elem}`);
  }

  fieldType(field) {
    const elem = this.elementType(field);
    const base = field.isArray ? `${elem}[]` : elem;
    return field.nullable ? `${base} | null` : base;
  }

  // --- defaults ---

  /** The field's default as a TypeScript expression (a fresh value for mutable types). */
  defaultValue(field) {
    const d = field.default;
    if (field.isArray) {
      if (d === 'null') return 'null';
      if (d !== undefined && d !== '') throw new Error(`array default ${d}`);
      return '[]';
    }
    if (field.isStruct) {
      if (d === 'null') return 'null';
      this.needDefault.add(this.struct(field).tsName);
      return `default${this.struct(field).tsName}()`;
    }
    return this.primitiveDefault(field.elem, d, field);
  }

  primitiveDefault(type, d, field) {
    switch (type) {
      case 'bool':
        if (d === undefined) return 'false';
        if (d !== 'true' && d !== 'false') throw new Error(`bool default ${d}`);
        return d;
      case 'int8':
      case 'int16':
      case 'uint16':
      case 'int32':
        return d === undefined ? '0' : String(Number(d));
      case 'float64':
        return d === undefined ? '0' : String(Number(d));
      case 'int64':
        return d === undefined ? '0n' : `${BigInt(d)}n`;
      case 'string':
        if (d === 'null') {
          if (!field.nullable) throw new Error(`null default for non-nullable ${field.name}`);
          return 'null';
        }
        return JSON.stringify(d ?? '');
      case 'uuid':
        this.uuidImports.add('ZERO_UUID');
        return 'ZERO_UUID';
      case 'bytes':
      case 'records':
        if (d === 'null' || (type === 'records' && field.nullable)) return 'null';
        this.runtimeImports.add('EMPTY_BYTES');
        return 'EMPTY_BYTES';
    }
    throw new Error(`no default for ${type}`);
  }

  /** An expression that is true when `expr` (never undefined) differs from the field's default. */
  nonDefault(field, expr) {
    const d = this.defaultValue(field);
    if (field.isArray)
      return d === 'null' ? `${expr} !== null` : `(${expr} === null || ${expr}.length !== 0)`;
    if (field.isStruct) {
      if (d === 'null') return `${expr} !== null`;
      const name = this.struct(field).tsName;
      this.needIsDefault.add(name);
      return field.nullable
        ? `(${expr} === null || !isDefault${name}(${expr}))`
        : `!isDefault${name}(${expr})`;
    }
    if (field.elem === 'bytes' || field.elem === 'records') {
      if (d === 'null') return `${expr} !== null`;
      this.runtimeImports.add('isEmptyBytes');
      return `!isEmptyBytes(${expr})`;
    }
    return `${expr} !== ${d}`;
  }

  // --- reading ---

  compact(field) {
    if (field.flexibleOverride !== undefined) {
      return versionCondition(
        intersect(field.flexibleOverride, this.message.flexible),
        this.message.valid,
      );
    }
    return this.message.flexible ? 'flexible' : 'false';
  }

  nullableCondition(field) {
    return versionCondition(field.nullable, this.message.valid);
  }

  /** Expression reading one non-array value of `type`. */
  readScalar(type, compact, nullableCond) {
    switch (type) {
      case 'bool':
      case 'int8':
      case 'int16':
      case 'uint16':
      case 'int32':
      case 'int64':
      case 'float64':
      case 'uuid':
        return `r.${type}()`;
      case 'string':
      case 'bytes':
      case 'records': {
        const method = type === 'string' ? 'string' : 'bytes';
        const nullableMethod = type === 'string' ? 'nullableString' : 'nullableBytes';
        if (nullableCond === 'false') return `r.${method}(${compact})`;
        if (nullableCond === 'true') return `r.${nullableMethod}(${compact})`;
        return `(${nullableCond} ? r.${nullableMethod}(${compact}) : r.${method}(${compact}))`;
      }
    }
    throw new Error(`cannot read ${type}`);
  }

  /** Statements that read `field` into its local, indented by `indent`. */
  readField(field, indent, compactOverride) {
    const compact = compactOverride ?? this.compact(field);
    const nullableCond = this.nullableCondition(field);
    const out = [];
    if (field.isArray) {
      if (field.isStruct) {
        const struct = this.struct(field);
        const nullable = nullableCond !== 'false';
        out.push(`{`);
        out.push(`  const n = r.arrayLength(${compact}, ${nullableCond});`);
        if (nullable) out.push(`  if (n < 0) ${field.local} = null;`);
        out.push(`  ${nullable ? 'else ' : ''}{`);
        out.push(`    const a: ${struct.tsName}[] = [];`);
        out.push(`    for (let i = 0; i < n; i++) a.push(read${struct.tsName}(r, version));`);
        out.push(`    ${field.local} = a;`);
        out.push(`  }`);
        out.push(`}`);
      } else {
        const method = `${field.elem === 'uint16' ? 'int16' : field.elem}Array`;
        const cast = nullableCond === 'false' ? ` as ${this.elementType(field)}[]` : '';
        out.push(`${field.local} = r.${method}(${compact}, ${nullableCond})${cast};`);
      }
    } else if (field.isStruct) {
      const struct = this.struct(field);
      const read = `read${struct.tsName}(r, version)`;
      if (nullableCond === 'false') out.push(`${field.local} = ${read};`);
      else if (nullableCond === 'true') out.push(`${field.local} = r.int8() < 0 ? null : ${read};`);
      else out.push(`${field.local} = ${nullableCond} && r.int8() < 0 ? null : ${read};`);
    } else {
      out.push(`${field.local} = ${this.readScalar(field.elem, compact, nullableCond)};`);
    }
    return out.map((line) => indent + line);
  }

  emitReader(struct) {
    const message = this.message;
    const fields = struct.fields;
    const name = struct.tsName;
    const exported = struct.isTop ? 'export ' : '';
    this.emit(`${exported}function read${name}(r: Reader, version: number): ${name} {`);
    if (struct.isTop) {
      this.runtimeImports.add('checkVersion');
      this.emit(
        `  checkVersion('${message.name}', version, ${message.valid.lo}, ${message.valid.hi});`,
      );
    }
    if (message.flexible)
      this.emit(`  const flexible = ${versionCondition(message.flexible, message.valid)};`);
    for (const field of fields) {
      this.emit(`  let ${field.local}: ${this.fieldType(field)} = ${this.defaultValue(field)};`);
    }
    for (const field of fields) {
      if (field.tagged) continue;
      const cond = versionCondition(field.versions, message.valid);
      if (cond === 'false') continue;
      const lines = this.readField(field, cond === 'true' ? '  ' : '    ');
      if (cond === 'true') lines.forEach((l) => this.emit(l));
      else {
        this.emit(`  if (${cond}) {`);
        lines.forEach((l) => this.emit(l));
        this.emit(`  }`);
      }
    }
    if (message.flexible) {
      const tagged = fields.filter((f) => f.tagged).sort((a, b) => a.tag - b.tag);
      if (tagged.length === 0) {
        this.emit(`  if (flexible) r.skipTaggedFields();`);
      } else {
        this.emit(`  if (flexible) {`);
        this.emit(`    for (let count = r.unsignedVarint(); count > 0; count--) {`);
        this.emit(`      const tag = r.unsignedVarint();`);
        this.emit(`      const end = r.taggedFieldEnd();`);
        this.emit(`      switch (tag) {`);
        for (const field of tagged) {
          const cond = versionCondition(field.tagged, message.valid);
          this.emit(`        case ${field.tag}:`);
          if (cond === 'true') {
            this.readField(field, '          ', 'true').forEach((l) => this.emit(l));
            this.emit(`          r.endTaggedField(end, true);`);
          } else {
            this.emit(`          if (${cond}) {`);
            this.readField(field, '            ', 'true').forEach((l) => this.emit(l));
            this.emit(`            r.endTaggedField(end, true);`);
            this.emit(`          } else r.endTaggedField(end, false);`);
          }
          this.emit(`          break;`);
        }
        this.emit(`        default:`);
        this.emit(`          r.endTaggedField(end, false);`);
        this.emit(`      }`);
        this.emit(`    }`);
        this.emit(`  }`);
      }
    }
    const props = fields.map((f) => `${f.prop}: ${f.local}`);
    this.emit(`  return { ${props.join(', ')} };`);
    this.emit(`}`);
    this.emit();
  }

  // --- writing ---

  /** `value.x`, with the default substituted for undefined. */
  valueOf(field, expr = `v.${field.prop}`) {
    const d = this.defaultValue(field);
    return field.nullable || d === 'null'
      ? `(${expr} === undefined ? ${d} : ${expr})`
      : `(${expr} ?? ${d})`;
  }

  writeScalar(type, expr, compact, nullableCond) {
    switch (type) {
      case 'bool':
      case 'int8':
      case 'int16':
      case 'uint16':
      case 'int32':
      case 'int64':
      case 'float64':
      case 'uuid':
        return `w.${type}(${expr});`;
      case 'string':
      case 'bytes':
      case 'records': {
        const method = type === 'string' ? 'string' : 'bytes';
        const nullableMethod = type === 'string' ? 'nullableString' : 'nullableBytes';
        if (nullableCond === 'false') return `w.${method}(${expr}, ${compact});`;
        if (nullableCond === 'true') return `w.${nullableMethod}(${expr}, ${compact});`;
        return `if (${nullableCond}) w.${nullableMethod}(${expr}, ${compact}); else w.${method}(${expr}, ${compact});`;
      }
    }
    throw new Error(`cannot write ${type}`);
  }

  /** Statements writing `field` (its value is `expr`, never undefined). */
  writeField(field, expr, indent, compactOverride) {
    const compact = compactOverride ?? this.compact(field);
    const nullableCond = this.nullableCondition(field);
    const out = [];
    if (field.isArray) {
      if (field.isStruct) {
        const struct = this.struct(field);
        out.push(`{`);
        out.push(`  const a = ${expr};`);
        out.push(
          `  if (w.arrayLength(a, ${compact}, ${nullableCond})) for (const e of a) write${struct.tsName}(w, e, version);`,
        );
        out.push(`}`);
      } else {
        const method = `${field.elem === 'uint16' ? 'int16' : field.elem}Array`;
        out.push(`w.${method}(${expr}, ${compact}, ${nullableCond});`);
      }
    } else if (field.isStruct) {
      const struct = this.struct(field);
      if (nullableCond === 'false') {
        out.push(`write${struct.tsName}(w, ${expr} ?? {}, version);`);
      } else {
        this.writerImports.add('EncodeError');
        out.push(`{`);
        out.push(`  const s = ${expr};`);
        out.push(`  if (s === null) {`);
        if (nullableCond !== 'true') {
          out.push(
            `    if (!(${nullableCond})) throw new EncodeError('null given for non-nullable ${field.owner.tsName}.${field.prop}');`,
          );
        }
        out.push(`    w.int8(-1);`);
        out.push(`  } else {`);
        if (nullableCond === 'true') out.push(`    w.int8(1);`);
        else out.push(`    if (${nullableCond}) w.int8(1);`);
        out.push(`    write${struct.tsName}(w, s, version);`);
        out.push(`  }`);
        out.push(`}`);
      }
    } else {
      out.push(this.writeScalar(field.elem, expr, compact, nullableCond));
    }
    return out.map((line) => indent + line);
  }

  /** Kafka's check for a field absent at this version: a non-ignorable non-default value throws. */
  absentCheck(field, presentCond, indent) {
    if (field.ignorable || presentCond === 'true') return;
    this.runtimeImports.add('nonDefaultAtVersion');
    const v = `v.${field.prop}`;
    const guard = presentCond === 'false' ? '' : `!(${presentCond}) && `;
    this.emit(
      `${indent}if (${guard}${v} !== undefined && ${this.nonDefault(field, v)}) nonDefaultAtVersion('${field.owner.tsName}.${field.prop}', version);`,
    );
  }

  emitWriter(struct) {
    const message = this.message;
    const name = struct.tsName;
    const exported = struct.isTop ? 'export ' : '';
    const fields = struct.fields;
    this.emit(
      `${exported}function write${name}(w: Writer, v: Input<${name}>, version: number): void {`,
    );
    if (struct.isTop) {
      this.runtimeImports.add('checkVersion');
      this.emit(
        `  checkVersion('${message.name}', version, ${message.valid.lo}, ${message.valid.hi});`,
      );
    }
    if (message.flexible)
      this.emit(`  const flexible = ${versionCondition(message.flexible, message.valid)};`);
    for (const field of fields) {
      if (field.tagged) continue;
      const cond = versionCondition(field.versions, message.valid);
      if (cond !== 'false') {
        const lines = this.writeField(field, this.valueOf(field), cond === 'true' ? '  ' : '    ');
        if (cond === 'true') lines.forEach((l) => this.emit(l));
        else {
          this.emit(`  if (${cond}) {`);
          lines.forEach((l) => this.emit(l));
          this.emit(`  }`);
        }
      }
      this.absentCheck(field, cond, '  ');
    }
    const tagged = fields.filter((f) => f.tagged).sort((a, b) => a.tag - b.tag);
    for (const field of tagged)
      this.absentCheck(field, versionCondition(field.tagged, message.valid), '  ');
    if (message.flexible) {
      if (tagged.length === 0) {
        this.emit(`  if (flexible) w.unsignedVarint(0);`);
      } else {
        this.emit(`  if (flexible) {`);
        for (const field of tagged) {
          const cond = versionCondition(field.tagged, message.valid);
          const v = `v.${field.prop}`;
          const present = `${v} !== undefined && ${this.nonDefault(field, v)}`;
          this.emit(
            `    const has${field.tag} = ${cond === 'true' ? '' : `${cond} && `}${present};`,
          );
        }
        this.emit(
          `    w.unsignedVarint(${tagged.map((f) => `(has${f.tag} ? 1 : 0)`).join(' + ')});`,
        );
        for (const field of tagged) {
          this.emit(`    if (has${field.tag}) {`);
          this.emit(`      const mark = w.beginTaggedField(${field.tag});`);
          this.writeField(field, `v.${field.prop}!`, '      ', 'true').forEach((l) => this.emit(l));
          this.emit(`      w.endTaggedField(mark);`);
          this.emit(`    }`);
        }
        this.emit(`  }`);
      }
    }
    this.emit(`}`);
    this.emit();
  }

  emitDefaults(struct) {
    const name = struct.tsName;
    if (this.needDefault.has(name)) {
      const props = struct.fields.map((f) => `${f.prop}: ${this.defaultValue(f)}`);
      this.emit(`function default${name}(): ${name} {`);
      this.emit(`  return { ${props.join(', ')} };`);
      this.emit(`}`);
      this.emit();
    }
    if (this.needIsDefault.has(name)) {
      const terms = struct.fields.map((f) => {
        const v = `v.${f.prop}`;
        return `(${v} === undefined || !(${this.nonDefault(f, v)}))`;
      });
      this.emit(`function isDefault${name}(v: Input<${name}>): boolean {`);
      this.emit(`  return ${terms.length ? terms.join(' &&\n    ') : 'true'};`);
      this.emit(`}`);
      this.emit();
    }
  }

  emitInterface(struct) {
    const message = struct.message;
    if (struct.isTop) {
      const flex = message.flexible ? `, flexible ${rangeText(message.flexible)}` : '';
      const key = message.spec.apiKey !== undefined ? `API key ${message.spec.apiKey}, ` : '';
      this.emit(`/** ${message.name}: ${key}versions ${rangeText(message.valid)}${flex}. */`);
    }
    this.emit(`export interface ${struct.tsName} {`);
    for (const field of struct.fields) {
      const notes = [`versions ${rangeText(field.versions)}`];
      if (field.nullable) notes.push(`nullable ${rangeText(field.nullable)}`);
      if (field.tagged) notes.push(`tag ${field.tag}`);
      if (field.default !== undefined) notes.push(`default ${field.default}`);
      if (field.ignorable) notes.push('ignorable');
      const about = (field.about ?? '').replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim();
      this.emit(`  /** ${about ? `${about} ` : ''}(${notes.join(', ')}) */`);
      this.emit(`  ${field.prop}: ${this.fieldType(field)};`);
    }
    this.emit(`}`);
    this.emit();
  }

  render(header) {
    const body = [];
    this.lines = body;
    for (const message of this.messages) {
      this.message = message;
      for (const struct of message.structs.values()) this.emitInterface(struct);
    }
    for (const message of this.messages) {
      this.message = message;
      for (const struct of message.structs.values()) {
        this.emitReader(struct);
        this.emitWriter(struct);
      }
    }
    // default…() and isDefault…() functions are needed by what was emitted, and by each other:
    // discover the closure with throwaway passes, then emit them once.
    for (let known = -1; known !== this.needDefault.size + this.needIsDefault.size;) {
      known = this.needDefault.size + this.needIsDefault.size;
      this.lines = [];
      for (const message of this.messages) {
        this.message = message;
        for (const struct of message.structs.values()) this.emitDefaults(struct);
      }
    }
    this.lines = body;
    for (const message of this.messages) {
      this.message = message;
      for (const struct of message.structs.values()) this.emitDefaults(struct);
    }
    const imports = [
      `import type { Reader } from '../reader';`,
      `import { ${[...this.writerImports]
        .sort()
        .map((n) => (n === 'Writer' ? 'type Writer' : n))
        .join(', ')} } from '../writer';`,
    ];
    const runtime = [...this.runtimeImports].sort();
    imports.push(`import { ${['type Input', ...runtime].join(', ')} } from '../runtime';`);
    if (this.uuidImports.size)
      imports.push(`import { ${[...this.uuidImports].join(', ')} } from '../uuid';`);
    while (body.length && body[body.length - 1] === '') body.pop();
    return `${header}\n${imports.join('\n')}\n\n${body.join('\n')}\n`;
  }
}

const RESERVED = new Set([
  'Reader',
  'Writer',
  'Input',
  'EncodeError',
  'Array',
  'Map',
  'Set',
  'Record',
  'Error',
]);

// ---------------------------------------------------------------------------------------------
// Whole output

function sourceLine(message, specDirLabel) {
  const flex = message.flexible ? `, flexible ${rangeText(message.flexible)}` : '';
  return `//   ${specDirLabel}/${message.file} (versions ${rangeText(message.valid)}${flex})`;
}

function headerComment(messages, specDirLabel, origin) {
  return [
    '// Generated by scripts/generate-protocol.mjs. Do not edit: change the generator and rerun',
    '// `npm run generate:protocol`.',
    `// From Apache Kafka's message definitions${origin} (Apache License 2.0):`,
    ...messages.map((m) => sourceLine(m, specDirLabel)),
    '',
  ].join('\n');
}

function apiName(requestName) {
  return requestName.replace(/Request$/, '');
}

function renderIndex(apis, specDirLabel, origin) {
  const out = [];
  out.push(
    '// Generated by scripts/generate-protocol.mjs. Do not edit: change the generator and rerun',
  );
  out.push('// `npm run generate:protocol`.');
  out.push(`// From Apache Kafka's message definitions${origin} (Apache License 2.0), every`);
  out.push(`// *Request.json / *Response.json pair in ${specDirLabel}.`);
  out.push('');
  out.push(`import type { Reader } from '../reader';`);
  out.push(`import type { Writer } from '../writer';`);
  out.push(`import type { Input } from '../runtime';`);
  for (const api of apis) {
    const req = api.request.name;
    const res = api.response.name;
    out.push(
      `import { type ${req}, type ${res}, read${req}, write${req}, read${res}, write${res} } from './${api.name}';`,
    );
  }
  out.push('');
  out.push('/** Kafka API keys by name. */');
  out.push('export const ApiKey = {');
  for (const api of apis) out.push(`  ${api.name}: ${api.key},`);
  out.push('} as const;');
  out.push('export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];');
  out.push('');
  out.push('export interface ApiDescriptor {');
  out.push('  readonly apiKey: number;');
  out.push('  readonly name: string;');
  out.push(
    '  /** Lowest and highest version Kafka defines for this API (requests and responses). */',
  );
  out.push('  readonly minVersion: number;');
  out.push('  readonly maxVersion: number;');
  out.push(
    '  /** First flexible version (compact encodings, tagged fields), or null if none is. */',
  );
  out.push('  readonly flexibleVersion: number | null;');
  out.push('  /** Versions Kafka marks deprecated, or null. */');
  out.push('  readonly deprecatedVersions: readonly [number, number] | null;');
  out.push('  /** The highest version is still under development in Kafka. */');
  out.push('  readonly latestVersionUnstable: boolean;');
  out.push('  /** Which Kafka listeners serve it: "broker", "zkBroker", "controller". */');
  out.push('  readonly listeners: readonly string[];');
  out.push('}');
  out.push('');
  out.push('/** Every Kafka API, by key. */');
  out.push('export const APIS: readonly ApiDescriptor[] = [');
  for (const api of apis) {
    const req = api.request;
    const dep = parseRange(req.spec.deprecatedVersions);
    const depText = dep ? `[${dep.lo}, ${dep.hi === Infinity ? req.valid.hi : dep.hi}]` : 'null';
    out.push(
      `  { apiKey: ${api.key}, name: '${api.name}', minVersion: ${req.valid.lo}, maxVersion: ${req.valid.hi}, flexibleVersion: ${req.flexibleFrom ?? 'null'}, deprecatedVersions: ${depText}, latestVersionUnstable: ${req.spec.latestVersionUnstable === true}, listeners: ${JSON.stringify(req.spec.listeners ?? [])} },`.replace(
        /"/g,
        "'",
      ),
    );
  }
  out.push('];');
  out.push('');
  out.push('const byKey = new Map<number, ApiDescriptor>(APIS.map((api) => [api.apiKey, api]));');
  out.push('');
  out.push('export function apiDescriptor(apiKey: number): ApiDescriptor | undefined {');
  out.push('  return byKey.get(apiKey);');
  out.push('}');
  out.push('');
  out.push('/**');
  out.push(
    ' * Request header version of a request: 2 in flexible versions, else 1; version 0 (no client',
  );
  out.push(
    ' * id) only for ControlledShutdown v0. Versions past the highest known are judged by the',
  );
  out.push(
    " * flexible range, as Kafka does, so a too-new ApiVersions request's header still parses.",
  );
  out.push(' */');
  out.push('export function requestHeaderVersion(apiKey: number, apiVersion: number): number {');
  out.push('  const api = byKey.get(apiKey);');
  out.push(`  if (apiKey === ApiKey.ControlledShutdown && apiVersion === 0) return 0;`);
  out.push('  return api?.flexibleVersion != null && apiVersion >= api.flexibleVersion ? 2 : 1;');
  out.push('}');
  out.push('');
  out.push(
    '/** Response header version: 1 in flexible versions, else 0; ApiVersions always uses 0. */',
  );
  out.push('export function responseHeaderVersion(apiKey: number, apiVersion: number): number {');
  out.push('  if (apiKey === ApiKey.ApiVersions) return 0;');
  out.push('  const api = byKey.get(apiKey);');
  out.push('  return api?.flexibleVersion != null && apiVersion >= api.flexibleVersion ? 1 : 0;');
  out.push('}');
  out.push('');
  out.push('/** Request and response types of each API, by key. */');
  out.push('export interface ApiMessages {');
  for (const api of apis) {
    out.push(`  ${api.key}: { request: ${api.request.name}; response: ${api.response.name} };`);
  }
  out.push('}');
  out.push('');
  out.push('export interface ApiCodec<Request, Response> {');
  out.push('  readRequest(r: Reader, version: number): Request;');
  out.push('  writeRequest(w: Writer, value: Input<Request>, version: number): void;');
  out.push('  readResponse(r: Reader, version: number): Response;');
  out.push('  writeResponse(w: Writer, value: Input<Response>, version: number): void;');
  out.push('}');
  out.push('');
  out.push('export type ApiCodecs = {');
  out.push(
    "  readonly [K in keyof ApiMessages]: ApiCodec<ApiMessages[K]['request'], ApiMessages[K]['response']>;",
  );
  out.push('};');
  out.push('');
  out.push('/** Request and response codecs of each API, by key. */');
  out.push('export const API_CODECS: ApiCodecs = {');
  for (const api of apis) {
    const req = api.request.name;
    const res = api.response.name;
    out.push(
      `  ${api.key}: { readRequest: read${req}, writeRequest: write${req}, readResponse: read${res}, writeResponse: write${res} },`,
    );
  }
  out.push('};');
  out.push('');
  out.push('/** The codec of an API key, or undefined for a key Kafka does not define. */');
  out.push('export function apiCodec(apiKey: number): ApiCodec<unknown, unknown> | undefined {');
  out.push('  return Object.hasOwn(API_CODECS, apiKey)');
  out.push(
    '    ? (API_CODECS[apiKey as keyof ApiMessages] as unknown as ApiCodec<unknown, unknown>)',
  );
  out.push('    : undefined;');
  out.push('}');
  return out.join('\n') + '\n';
}

function withoutProse(value) {
  if (Array.isArray(value)) return value.map(withoutProse);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'about') out[k] = withoutProse(v);
    return out;
  }
  return value;
}

export function generate(specDir) {
  const files = readdirSync(specDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`no *.json message definitions in ${specDir}`);
  const messages = files.map((file) => {
    const spec = JSON.parse(stripComments(readFileSync(join(specDir, file), 'utf8')));
    return new Message(spec, file);
  });
  const readme = join(specDir, '..', 'README.md');
  const commit = existsSync(readme)
    ? /commit ([0-9a-f]{7,40})/.exec(readFileSync(readme, 'utf8'))
    : null;
  const origin = commit ? `, commit ${commit[1]}` : '';
  const specDirLabel = relative(root, specDir).split('\\').join('/');

  const outputs = new Map();
  const byKey = new Map();
  const standalone = [];
  for (const message of messages) {
    const { type, apiKey } = message.spec;
    if ((type === 'request' || type === 'response') && apiKey !== undefined) {
      const api = byKey.get(apiKey) ?? { key: apiKey };
      api[type] = message;
      byKey.set(apiKey, api);
    } else {
      standalone.push(message);
    }
  }
  const apis = [...byKey.values()].sort((a, b) => a.key - b.key);
  for (const api of apis) {
    if (!api.request || !api.response)
      throw new Error(`API ${api.key} lacks a request or response`);
    api.name = apiName(api.request.name);
    const module = new ModuleWriter([api.request, api.response]);
    outputs.set(
      `${api.name}.ts`,
      module.render(headerComment([api.request, api.response], specDirLabel, origin)),
    );
  }
  for (const message of standalone) {
    const module = new ModuleWriter([message]);
    outputs.set(
      `${message.name}.ts`,
      module.render(headerComment([message], specDirLabel, origin)),
    );
  }
  outputs.set('index.ts', renderIndex(apis, specDirLabel, origin));
  const specs = {};
  for (const message of messages) specs[message.name] = withoutProse(message.spec);
  outputs.set('specs.json', JSON.stringify(specs) + '\n');
  return outputs;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const outputs = generate(args.specDir);
  if (args.check) {
    const stale = [];
    for (const [name, text] of outputs) {
      const path = join(args.outDir, name);
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(name);
    }
    const extra = existsSync(args.outDir)
      ? readdirSync(args.outDir).filter((f) => !outputs.has(f))
      : [];
    if (stale.length || extra.length) {
      console.error(`generated protocol code is stale: ${[...stale, ...extra].join(', ')}`);
      process.exit(1);
    }
    console.log(`generated protocol code is up to date (${outputs.size} files)`);
    return;
  }
  if (existsSync(args.outDir)) rmSync(args.outDir, { recursive: true });
  mkdirSync(args.outDir, { recursive: true });
  for (const [name, text] of outputs) writeFileSync(join(args.outDir, name), text);
  console.log(`wrote ${outputs.size} files to ${relative(root, args.outDir)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
