/**
 * Maintainer commands in GitHub comments, one per line:
 *   /triage topic +systemd -init
 *   /triage duplicate-of 1029998        (also #1029998, bug:1029998)
 *   /triage not-duplicate 1029998
 *   /triage refresh
 * Lines not starting with `/triage` are prose and ignored; lines inside quotes (`>`) or code fences
 * are ignored too, so quoting someone's command does not run it again.
 */
export type TriageCommand =
  | { kind: "topic"; add: string[]; remove: string[] }
  | { kind: "duplicate-of"; bug: number }
  | { kind: "not-duplicate"; bug: number }
  | { kind: "refresh" };

export interface ParsedCommands {
  commands: TriageCommand[];
  /** Lines that start with /triage but could not be read, with why. */
  errors: string[];
}

export function parseTriageCommands(body: string): ParsedCommands {
  const commands: TriageCommand[] = [];
  const errors: string[] = [];
  // The open fence (its character and length): only a fence of the same kind, at least as long, ends it.
  let fence: string | null = null;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line === marker) fence = null;
      continue;
    }
    if (fence !== null || !/^\/triage\b/i.test(line)) continue;
    const errorsBefore = errors.length;
    const [, verb = "", ...args] = line.split(/\s+/);
    switch (verb.toLowerCase()) {
      case "topic": {
        const add: string[] = [];
        const remove: string[] = [];
        for (const a of args) {
          const m = /^([+-])([a-z][a-z0-9-]*)$/i.exec(a);
          if (!m) {
            errors.push(`"${line}": "${a}" is not +topic or -topic`);
            continue;
          }
          (m[1] === "+" ? add : remove).push(m[2]!.toLowerCase());
        }
        if (add.length || remove.length) commands.push({ kind: "topic", add, remove });
        else if (errors.length === errorsBefore) errors.push(`"${line}": name topics to add (+name) or remove (-name)`);
        break;
      }
      case "duplicate-of":
      case "not-duplicate": {
        const m = /^(?:#|bug:)?(\d{1,9})$/i.exec(args[0] ?? "");
        if (!m || args.length !== 1) errors.push(`"${line}": expected one bug number`);
        else commands.push({ kind: verb.toLowerCase() as "duplicate-of" | "not-duplicate", bug: Number(m[1]) });
        break;
      }
      case "refresh":
        commands.push({ kind: "refresh" });
        break;
      default:
        errors.push(`"${line}": unknown command (topic, duplicate-of, not-duplicate, refresh)`);
    }
  }
  return { commands, errors };
}
