import type { Express } from 'express';
import type { TestApp } from './test-app';

/**
 * Renders a view with the running app's view engine, layout and helpers, as a page
 * controller would: for the parts of pages that need a viewer (login comes with issue 7,
 * so tests give the viewer to the presenter and render its model here).
 */
export function renderView(t: TestApp, view: string, model: object): Promise<string> {
  const express = t.app.getHttpAdapter().getInstance() as Express;
  return new Promise((resolve, reject) =>
    express.render(view, model as Record<string, unknown>, (err, html) =>
      err ? reject(err) : resolve(html),
    ),
  );
}

/** The text of an HTML document without tags, whitespace collapsed (for readable asserts). */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The value of a meta tag (Open Graph `property` or Twitter `name`). */
export function metaContent(html: string, key: string): string | null {
  const m = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(html);
  return m ? m[1] : null;
}
