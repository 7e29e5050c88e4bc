import { useMemo } from 'react';
import { InertText } from '../../components/InertText.js';
import { isInterestingHeader, parsePatch } from './patchLines.js';
import './review.css';

export function PatchView({ patch }: { patch: string }) {
  const lines = useMemo(() => parsePatch(patch).filter((l) => l.kind !== 'header' || isInterestingHeader(l.text)), [patch]);
  return (
    <div className="patch mono">
      {lines.map((line, index) => (
        <div key={index} className={`pl pl-${line.kind}`}>
          <span className="pl-num" aria-hidden="true">
            {line.oldLine ?? ''}
          </span>
          <span className="pl-num" aria-hidden="true">
            {line.newLine ?? ''}
          </span>
          <span className="pl-text">{line.text === '' ? ' ' : <InertText text={line.text} />}</span>
        </div>
      ))}
    </div>
  );
}
