import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from 'react';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { outputLines, outputWindow, type WindowStart } from './outputWindow.js';
import { useThrottledValue } from './useThrottledValue.js';

/** 32 px: within about two lines of the end still counts as "following". */
const PIN_SLACK_PX = 32;
/**
 * 200 ms: the block shows new output at most 5 times a second. Each update costs the page a
 * style, layout, paint and composite pass; the live view of a command is the task's Agent
 * terminal, this is its plain-text record.
 */
const REFRESH_MS = 200;

/**
 * A command's output in the transcript: the plain-text record, kept cheap while the command
 * prints. It shows the tail (see outputWindow) in chunks that React and the browser leave alone
 * once full, follows the end while the user is there, and stops dropping lines from the top
 * once they scroll up to read, until they come back down. "Show all" shows everything kept.
 */
export function CommandOutput(props: { output: string; receivedNewlines: number; isVisible: boolean }) {
  const { isVisible } = props;
  const latest = useMemo(() => ({ output: props.output, receivedNewlines: props.receivedNewlines }), [props.output, props.receivedNewlines]);
  const { output, receivedNewlines } = useThrottledValue(latest, REFRESH_MS);
  const [isShowingAll, setIsShowingAll] = useState(false);
  /** The first line shown when the user left the end; null while following. */
  const [frozenFrom, setFrozenFrom] = useState<number | null>(null);
  const ref = useRef<HTMLPreElement>(null);
  const isPinned = useRef(true);

  const view = useMemo(() => {
    const start: WindowStart = isShowingAll ? { kind: 'all' } : frozenFrom !== null ? { kind: 'from', line: frozenFrom } : { kind: 'tail' };
    return outputWindow(output, receivedNewlines, start);
  }, [output, receivedNewlines, isShowingAll, frozenFrom]);

  /** Read by onScroll: the line to keep showing from once the user leaves the end. */
  const startLine = useRef(0);
  useLayoutEffect(() => {
    startLine.current = view.startLine;
    const el = ref.current;
    // A hidden block measures 0: it follows again once shown.
    if (el && isVisible && isPinned.current) el.scrollTop = el.scrollHeight;
  }, [view, isVisible]);
  const onScroll = useCallback((event: UIEvent<HTMLPreElement>) => {
    const el = event.currentTarget;
    // A hidden block (another tab) measures 0 everywhere: keep the previous choice.
    if (el.clientHeight === 0) return;
    const isAtEnd = el.scrollHeight - el.scrollTop - el.clientHeight < PIN_SLACK_PX;
    if (isAtEnd === isPinned.current) return; // most scroll events: following, or still reading
    isPinned.current = isAtEnd;
    // Reading above the end: keep the lines they read until they come back down.
    setFrozenFrom(isAtEnd ? null : startLine.current);
  }, []);

  const toggle = () => {
    // Back to the tail means back to following it.
    if (isShowingAll) isPinned.current = true;
    setFrozenFrom(null);
    setIsShowingAll(!isShowingAll);
  };
  const canToggle = isShowingAll || view.hiddenLines > 0 || view.startsMidLine;

  return (
    <>
      {canToggle && (
        <div className="cmd-more">
          <button type="button" className="link cmd-toggle" onClick={toggle} aria-expanded={isShowingAll}>
            {isShowingAll ? 'Show only the last lines' : `Show all ${view.keptLines.toLocaleString()} lines`}
          </button>
          {isShowingAll && view.droppedLines > 0 && (
            <span className="cmd-more-note">
              {view.droppedLines.toLocaleString()} earlier {view.droppedLines === 1 ? 'line is' : 'lines are'} only in the task log
            </span>
          )}
        </div>
      )}
      {/* role=log names the region for assistive tech; live announcements are off: 100 lines a second would drown them. */}
      <pre
        className={`cmd-out code-block ${view.startsMidLine ? 'is-cut' : ''}`}
        ref={ref}
        onScroll={onScroll}
        role="log"
        aria-live="off"
        aria-label="Output"
        tabIndex={0}
      >
        {view.chunks.map((chunk) => (
          <OutputChunk key={chunk.key} text={chunk.text} />
        ))}
      </pre>
    </>
  );
}

/**
 * One block of up to CHUNK_LINES lines. Memoized on its text: a full chunk never renders again.
 * One text node per line, so that lines appended to the open chunk leave the earlier ones (and a
 * selection in them) untouched. Hidden characters show as plain marks (visibleText), not styled
 * ones: a line stays one text node, and ordinary output costs one scan per chunk.
 */
const OutputChunk = memo(function OutputChunk({ text }: { text: string }) {
  return <span className="cmd-chunk">{outputLines(visibleText(text))}</span>;
});
