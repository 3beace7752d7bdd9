/**
 * sharp, loaded on first use rather than when the server starts. Loading it
 * opens libvips, a large native library: that was about 0.2 s of every demo
 * restart on a 2-core host, before a first page that needs no image work
 * (ADR 017, seventh pass). Every exported image function awaits loadSharp()
 * before it calls sharp().
 */
import type SharpModule from "sharp";
import type { Sharp as SharpImage, SharpOptions } from "sharp";

type Sharp = typeof SharpModule;

let loading: Promise<Sharp> | undefined;
let loaded: Sharp | undefined;

export function loadSharp(): Promise<Sharp> {
  loading ??= import("sharp").then(({ default: module }) => {
    // libvips' operation cache keeps decoded images around; uploads are one-off.
    module.cache(false);
    loaded = module;
    return module;
  });
  return loading;
}

/** sharp's constructor, once loadSharp() has resolved. */
export function sharp(input: Buffer, options?: SharpOptions): SharpImage {
  if (!loaded) throw new Error("sharp() was called before loadSharp() resolved");
  return loaded(input, options);
}
