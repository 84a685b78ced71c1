import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { firstLoadFiles, staticImports } from './sizes';

describe('first-load size: the files a browser fetches before the surface shows', () => {
  it('reads static imports and leaves dynamic ones to later', () => {
    const code = 'import{a as b}from"./chunks/chunk-A.js";import"./side.js";export{c}from"../x/c.js";const t=()=>import("./chunks/Tab-B.js");';
    expect(staticImports(code)).toEqual(['./chunks/chunk-A.js', './side.js', '../x/c.js']);
  });

  it('follows imports transitively, once each, and never into lazy chunks', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sizes-'));
    fs.mkdirSync(path.join(dir, 'chunks'));
    fs.writeFileSync(path.join(dir, 'main.js'), 'import{a}from"./chunks/a.js";import{b}from"./chunks/b.js";import("./chunks/lazy.js");');
    fs.writeFileSync(path.join(dir, 'chunks/a.js'), 'import{b}from"./b.js";export const a=1;');
    fs.writeFileSync(path.join(dir, 'chunks/b.js'), 'export const b=2;');
    fs.writeFileSync(path.join(dir, 'chunks/lazy.js'), 'import{a}from"./a.js";export const l=3;');
    const files = firstLoadFiles([path.join(dir, 'main.js')]).map((f) => path.relative(dir, f)).sort();
    expect(files).toEqual(['chunks/a.js', 'chunks/b.js', 'main.js']);
  });
});
