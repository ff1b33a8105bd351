import { Category, defineScalar } from '../../define/define-scalar.js';
import { type UrlParts, parseUrl } from './url-parts.js';

/** A one-argument URL function returning a part of the parsed URL (null when invalid or absent). */
export function extractor(name: string, description: string, returns: string, pick: (p: UrlParts) => unknown) {
  return defineScalar({
    name,
    category: Category.URL,
    description,
    overloads: [
      {
        params: ['STRING'],
        returns,
        fn: (s: string) => {
          const p = parseUrl(s);
          return p ? (pick(p) ?? null) : null;
        },
      },
    ],
  });
}
