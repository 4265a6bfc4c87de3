import type { ConfigProblem } from './hub-config';
import { renderPath, type Segment } from './hub-config-document';

export { didYouMean } from './did-you-mean';

/**
 * Collects problems while validating several documents at once. Entries remember the document and
 * the place they came from, so a problem found after merging still points into the right file.
 */

/** A configuration entry and where it was declared: `at` is e.g. ['organizations', 2]. */
export interface Located<T> {
  readonly entry: T;
  readonly doc: number;
  readonly at: readonly Segment[];
}

/** One input to validation: a parsed YAML file or a raw object. */
export interface ConfigDocument {
  readonly source?: string;
  readonly content: unknown;
  /** The 1-based line of the value at `segments` (or of its nearest ancestor), when known. */
  readonly lineOf?: (segments: readonly Segment[]) => number | undefined;
}

export class ProblemCollector {
  private readonly found: { doc: number; segments: readonly Segment[]; message: string }[] = [];

  constructor(private readonly documents: readonly ConfigDocument[]) {}

  get count(): number {
    return this.found.length;
  }

  inDocument(doc: number, segments: readonly Segment[], message: string): void {
    this.found.push({ doc, segments, message });
  }

  /** A problem at `sub` inside a located entry, e.g. at(group, ['tree', 'acme-hq', 0], ...). */
  at(item: Located<unknown>, sub: readonly Segment[], message: string): void {
    this.inDocument(item.doc, [...item.at, ...sub], message);
  }

  /** "organizations[0]", or "organizations[0] in orgs.yaml" when there are several documents. */
  where(item: Located<unknown>): string {
    const source = this.documents[item.doc]?.source;
    return this.documents.length > 1 && source ? `${renderPath(item.at)} in ${source}` : renderPath(item.at);
  }

  sourceOf(doc: number): string | undefined {
    return this.documents[doc]?.source;
  }

  /** Problems ordered by document (stable within one), with source and line filled in. */
  toProblems(): ConfigProblem[] {
    return [...this.found]
      .sort((a, b) => a.doc - b.doc)
      .map(({ doc, segments, message }) => {
        const document = this.documents[doc];
        const line = document?.lineOf?.(segments);
        return {
          path: renderPath(segments),
          message,
          ...(document?.source !== undefined ? { source: document.source } : {}),
          ...(line !== undefined ? { line } : {}),
        };
      });
  }
}
