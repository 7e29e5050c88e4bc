import { codePointName, visibleParts } from '../../../shared/model/visibleText.js';
import './inertText.css';

/**
 * Text the model or an agent wrote (a title, a message, a command, a reason, a file name),
 * shown so that nothing in it is hidden: a control character, a bidi override or an invisible
 * format character appears as a quiet mark (⟨ESC⟩, ⟨U+202E⟩) instead of reordering or hiding what
 * the user reads (see shared/model/visibleText.ts). Line breaks stay. For attributes (title,
 * aria-label), where no element can go, use `visibleText`.
 */
export function InertText({ text }: { text: string }) {
  const parts = visibleParts(text);
  if (parts.length === 0) return null;
  if (parts.length === 1 && parts[0]?.kind === 'text') return parts[0].text;
  return parts.map((part, index) =>
    part.kind === 'text' ? (
      part.text
    ) : (
      <span key={index} className="inert-mark" title={codePointName(part.codePoint)}>
        {part.text}
      </span>
    ),
  );
}
