// Checks a value against a JSON Schema of openapi/asyncapi.yaml: the keywords the document
// uses (types, const, enum, properties, required, additionalProperties, propertyNames,
// items, prefixItems, minItems, allOf, oneOf, minimum, maximum, the uuid and date-time formats). Strict about
// objects: a property the schema does not name is an error (unless the schema names none),
// so that what the server sends is exactly what the document says.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function resolve(root, schema) {
  let s = schema;
  while (s && typeof s.$ref === "string") {
    const path = s.$ref.replace(/^#\//, "").split("/");
    s = path.reduce((node, key) => node?.[key], root);
    if (!s) throw new Error(`unresolved ${schema.$ref}`);
  }
  return s;
}

/** Every property name a schema allows, through `allOf`. */
function named(root, schema) {
  const s = resolve(root, schema);
  const names = new Set(Object.keys(s.properties ?? {}));
  for (const part of s.allOf ?? []) for (const n of named(root, part)) names.add(n);
  return names;
}

function check(root, value, schema, path, strict, errors) {
  const s = resolve(root, schema);
  const fail = (msg) => errors.push(`${path || "(root)"}: ${msg}`);
  for (const part of s.allOf ?? []) check(root, value, part, path, false, errors);
  if (s.oneOf) {
    const passing = s.oneOf.filter((alt) => validate(root, value, alt, path).length === 0).length;
    if (passing !== 1) fail(`matches ${passing} of oneOf's ${s.oneOf.length} schemas`);
  }
  const t = typeOf(value);
  if (s.type !== undefined) {
    const allowed = [s.type].flat();
    if (!allowed.includes(t) && !(t === "integer" && allowed.includes("number"))) {
      fail(`is ${t}, not ${allowed.join(" | ")}`);
      return;
    }
  }
  if ("const" in s && value !== s.const) fail(`is ${JSON.stringify(value)}, not ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.includes(value)) fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) fail(`${value} < ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) fail(`${value} > ${s.maximum}`);
  }
  if (typeof value === "string") {
    if (s.format === "uuid" && !UUID.test(value)) fail(`${value} is not a uuid`);
    if (s.format === "date-time" && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))) fail(`${value} is not a date-time`);
  }
  if (t === "array") {
    const prefix = s.prefixItems ?? [];
    prefix.forEach((p, i) => i < value.length && check(root, value[i], p, `${path}[${i}]`, true, errors));
    if (s.minItems !== undefined && value.length < s.minItems) fail(`has ${value.length} items, fewer than ${s.minItems}`);
    if (s.items === false && value.length > prefix.length) fail(`has ${value.length} items, more than ${prefix.length}`);
    else if (s.items) value.slice(prefix.length).forEach((v, i) => check(root, v, s.items, `${path}[${prefix.length + i}]`, true, errors));
  }
  if (t === "object") {
    const props = s.properties ?? {};
    for (const key of s.required ?? []) if (!(key in value)) fail(`lacks ${key}`);
    const known = strict ? named(root, s) : new Set(Object.keys(props));
    for (const [key, v] of Object.entries(value)) {
      const at = `${path}.${key}`;
      if (s.propertyNames) check(root, key, s.propertyNames, `${at} (name)`, true, errors);
      if (key in props) check(root, v, props[key], at, true, errors);
      else if (s.additionalProperties && typeof s.additionalProperties === "object") check(root, v, s.additionalProperties, at, true, errors);
      // A schema that names no property at all is free-form (`data` of EventView).
      else if (strict && known.size > 0 && !known.has(key) && s.additionalProperties !== true) fail(`has ${key}, which the schema does not name`);
    }
  }
}

/** What is wrong with `value` against `schema` (`$ref`s resolved in `root`); empty when nothing. */
export function validate(root, value, schema, path = "") {
  const errors = [];
  check(root, value, schema, path, true, errors);
  return errors;
}
