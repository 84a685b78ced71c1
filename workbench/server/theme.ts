/** Atlassian's design-token themes (light, dark, spacing, typography) as one stylesheet, from @atlaskit/tokens. */
let css: string | undefined;

export function themeCss(): string {
  css ??= [
    require('@atlaskit/tokens/dist/cjs/artifacts/themes/atlassian-light.js'),
    require('@atlaskit/tokens/dist/cjs/artifacts/themes/atlassian-dark.js'),
    require('@atlaskit/tokens/dist/cjs/artifacts/themes/atlassian-spacing.js'),
    require('@atlaskit/tokens/dist/cjs/artifacts/themes/atlassian-typography.js'),
  ]
    .map((m: { default: string }) => m.default)
    .join('\n');
  return css;
}
