import { useEffect, useRef, useState } from "react";

export type ToastView = { kind: "success" | "error" | "info"; title: string; description?: string };

const STYLES: Record<ToastView["kind"], string> = {
  success: "border-emerald-300 bg-emerald-50 text-emerald-900",
  error: "border-red-300 bg-red-50 text-red-900",
  info: "border-sky-300 bg-sky-50 text-sky-900",
};

export function Toaster({ toast }: { toast: ToastView | null }) {
  const [visible, setVisible] = useState<ToastView | null>(toast);
  useEffect(() => {
    setVisible(toast);
    // An error stays until it is dismissed: it says something went wrong, and a reader may need longer.
    if (!toast || toast.kind === "error") return;
    const timer = setTimeout(() => setVisible(null), 6000);
    return () => clearTimeout(timer);
  }, [toast]);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!visible || !box.current) return;
    // Room under the page while a toast shows, so the last button on a phone's page can be scrolled above it.
    const previous = document.body.style.paddingBottom;
    document.body.style.paddingBottom = `${box.current.offsetHeight + 24}px`;
    return () => {
      document.body.style.paddingBottom = previous;
    };
  }, [visible]);
  return (
    <div
      ref={box}
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-3 sm:justify-end sm:px-6 print:hidden"
    >
      {visible ? (
        <div
          role="status"
          data-testid="toast"
          className={`pointer-events-auto flex max-w-md items-start gap-3 rounded-lg border px-4 py-3 shadow-lg ${STYLES[visible.kind]}`}
        >
          <div>
            <p className="font-semibold">{visible.title}</p>
            {visible.description ? <p className="text-sm">{visible.description}</p> : null}
          </div>
          <button
            type="button"
            onClick={() => setVisible(null)}
            className="ml-2 text-sm underline"
            aria-label="Dismiss notification"
          >
            Close
          </button>
        </div>
      ) : null}
    </div>
  );
}
