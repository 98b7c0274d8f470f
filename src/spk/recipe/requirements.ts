/**
 * Requirement values: the one constructor and the request lists of install/components/tests
 * (crates/spk-schema/src/v0/package.rs, install_spec.rs, test_spec.rs).
 */
import { keyPathText, SpkError, type KeyPath } from '../errors';
import { parseRequest, type PkgRequest } from '../request';
import { type Requirement, type RequirementRole } from './types';
import { asList, asRecord, str } from './values';

/**
 * The one place a `Requirement` value is assembled (the field order is the one metadata shows).
 * `ident` is the parsed request's package part (name and range text as written).
 */
export function requirement(
  role: RequirementRole,
  ident: { name: string; versionText: string; components: readonly string[] },
  request: string,
  source: string,
  how: { components?: readonly string[]; prereleasePolicy?: Requirement['prereleasePolicy']; include?: Requirement['include'] } = {},
  extra: Partial<Requirement> = {},
): Requirement {
  return {
    role,
    pkg: ident.name,
    request,
    range: ident.versionText,
    components: [...(how.components ?? ident.components)],
    prereleasePolicy: how.prereleasePolicy ?? 'ExcludeAll',
    include: how.include ?? 'Always',
    source,
    ...extra,
  };
}

function pkgRequirement(
  req: PkgRequest,
  role: RequirementRole,
  source: string,
  requestText: string,
  extra: Partial<Requirement> = {},
): Requirement {
  const out = requirement(role, req.pkg, requestText, source, {
    components: req.pkg.components,
    prereleasePolicy: req.prereleasePolicy ?? 'ExcludeAll',
    include: req.include,
  }, extra);
  if (req.fromBuildEnv !== undefined) out.fromBuildEnv = req.fromBuildEnv;
  return out;
}

/**
 * Request list (install/component/test requirements) → pkg requirements; var requests are skipped.
 * `at` is the list's place in the recipe; `source` names it in requirements and messages.
 */
export function requestList(
  list: unknown,
  at: KeyPath,
  role: 'runtime' | 'test',
  extra: Partial<Requirement> = {},
  source: string = keyPathText(at),
): Requirement[] {
  const out: Requirement[] = [];
  asList(list, at, source).forEach((item, i) => {
    let req;
    try {
      req = parseRequest(item as Record<string, unknown>);
    } catch (e) {
      const reason = e instanceof SpkError ? e.message : String(e);
      throw new SpkError('recipe', `${source}[${i}]: ${reason}`, { path: [...at, i] });
    }
    if (req.kind !== 'pkg') return;
    const text = typeof item === 'string' ? item : str(asRecord(item)?.pkg ?? asRecord(item)?.Pkg);
    const r = req.include === 'IfAlreadyPresent' && role === 'runtime' ? 'soft' : role;
    out.push(pkgRequirement(req, r, source, text, extra));
  });
  return out;
}
