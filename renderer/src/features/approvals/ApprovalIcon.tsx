import './approvals.css';

/** A shield with an exclamation mark: "your sandbox, and a question about it". Decorative. */
export function ApprovalIcon({ size = 14 }: { size?: number }) {
  return (
    <svg className="approval-icon" viewBox="0 0 16 16" width={size} height={size} aria-hidden="true" focusable="false">
      <path
        d="M8 1.4 2.6 3.4v4.1c0 3.2 2.2 5.8 5.4 7.1 3.2-1.3 5.4-3.9 5.4-7.1V3.4L8 1.4Z"
        fill="currentColor"
        fillOpacity="0.16"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinejoin="round"
      />
      <path d="M8 4.6v4" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      <circle cx="8" cy="10.9" r="0.95" fill="currentColor" />
    </svg>
  );
}
