/**
 * compile.ts's second step: the data files beside the sources (JSON schemas, YAML, injection
 * templates) copied beside the compiled modules in lib/, since modules read them relative to
 * their own directory. Go sources stay under src/ (the package ships the ones it builds there).
 */
import { copyFileSync, mkdirSync, readdirSync } from 'fs';
import { dirname, join, relative } from 'path';

const ROOT = join(__dirname, '..', '..');

function dataFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return dataFiles(path);
    return /\.(ts|go)$/.test(e.name) ? [] : [path];
  });
}

export function copyLibAssets(src = join(ROOT, 'src'), lib = join(ROOT, 'lib')): string[] {
  const files = dataFiles(src);
  for (const file of files) {
    const target = join(lib, relative(src, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  return files;
}

