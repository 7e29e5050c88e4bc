/** What went wrong with the last try, read out when it appears; nothing while there is none. */
export function FormError({ message, id }: { message: string | null; id?: string }) {
  if (message === null) return null;
  return (
    <p className="form-error" id={id} role="alert">
      {message}
    </p>
  );
}
