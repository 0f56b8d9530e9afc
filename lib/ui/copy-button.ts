import { html, raw, type SafeHtml } from "./html";

/**
 * The one script a reader page may carry (decision 0028): it shows the "Copy link" button and
 * copies the field's text. Without script the button stays hidden and the link is plain,
 * selectable text in its field. Inline and tiny, so nothing more is fetched.
 */
const COPY_SCRIPT = `document.querySelectorAll("[data-copy]").forEach(function(b){var f=document.getElementById(b.getAttribute("data-copy")),s=b.parentNode.querySelector("[data-copy-status]");b.hidden=false;b.addEventListener("click",function(){f.select();var done=function(){s.textContent="Link copied."},fallback=function(){s.textContent=document.execCommand("copy")?"Link copied.":"Select the link and copy it."};navigator.clipboard?navigator.clipboard.writeText(f.value).then(done,fallback):fallback()})})`;

/** A "Copy link" button for the field `fieldId`, with its status line and script. */
export function copyButton(fieldId: string): SafeHtml {
  return html`<button class="button button--secondary button--small" type="button" data-copy="${fieldId}" hidden>Copy link</button> <span class="copy-status" role="status" data-copy-status></span>
<script>${raw(COPY_SCRIPT)}</script>`;
}
