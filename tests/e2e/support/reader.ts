import type { Page } from "@playwright/test";

/** What the article page says the reader got: "full", "preview" and the like (its `data-access`). */
export const articleAccess = (page: Page) => page.locator("article[data-access]").getAttribute("data-access");

/** A new reader's address, unique to this run and test. */
export const uniqueAddress = (name: string) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@readers.test`;
