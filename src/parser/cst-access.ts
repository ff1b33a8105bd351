/**
 * Small typed accessors over chevrotain's untyped CST children, shared by the
 * AST builders. A missing required child is a grammar/builder mismatch, i.e. an
 * InternalError, never the user's fault.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import { InternalError } from '../common/errors.js';

function isNode(e: CstElement): e is CstNode {
  return (e as CstNode).children !== undefined;
}

function elements(node: CstNode, key: string): CstElement[] {
  return node.children[key] ?? [];
}

/** All child nodes under `key`. */
export function nodes(node: CstNode, key: string): CstNode[] {
  return elements(node, key).filter(isNode);
}

/** All child tokens under `key`. */
export function tokens(node: CstNode, key: string): IToken[] {
  return elements(node, key).filter((e): e is IToken => !isNode(e));
}

/** The first child node under `key`, if any. */
export function optNode(node: CstNode, key: string): CstNode | undefined {
  return nodes(node, key)[0];
}

/** The first child node under `key`. */
export function child(node: CstNode, key: string): CstNode {
  const n = optNode(node, key);
  if (!n) throw new InternalError(`CST ${node.name}: missing ${key}`);
  return n;
}

/** The first child token under `key`, if any. */
export function optToken(node: CstNode, key: string): IToken | undefined {
  return tokens(node, key)[0];
}

/** The first child token under `key`. */
export function token(node: CstNode, key: string): IToken {
  const t = optToken(node, key);
  if (!t) throw new InternalError(`CST ${node.name}: missing token ${key}`);
  return t;
}

/** True when the node has a child (token or node) under `key`. */
export function has(node: CstNode, key: string): boolean {
  return elements(node, key).length > 0;
}

/** The first token of a subtree (for positions). */
export function firstToken(node: CstNode): IToken {
  let best: IToken | undefined;
  for (const list of Object.values(node.children)) {
    for (const e of list) {
      const t = isNode(e) ? firstToken(e) : e;
      if (!best || t.startOffset < best.startOffset) best = t;
    }
  }
  if (!best) throw new InternalError(`CST ${node.name}: empty`);
  return best;
}
