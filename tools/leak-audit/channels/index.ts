import { articleVariantsChannel } from "./article-variants";
import { browserJs, browserNoJs } from "./browser";
import { discovery } from "./discovery";
import { email } from "./email";
import { metadata } from "./metadata";
import { pages } from "./pages";
import { publicFields } from "./public-fields";
import { requestHeaders } from "./request-headers";
import { segmentsChannel } from "./segments";
import type { Channel } from "./types";

/**
 * Every channel the audit crawls, in order. A feature that sends article text somewhere new
 * (newsletters, gift links, an API) adds its channel here. `meter` (the reads that spend each
 * reader's meter) and `caching` (full text a shared cache may store) are checked on every probe.
 */
export const CHANNELS: Channel[] = [publicFields, pages, discovery, articleVariantsChannel, requestHeaders, segmentsChannel, metadata, browserNoJs, browserJs, email];
