import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import './menu.css';

export interface MenuItem {
  key: string;
  label: string;
  /** A second, quieter line: what the item does or why it is off. */
  detail?: string;
  isDisabled?: boolean;
  onSelect: () => void;
}

/** 4 px: the menu sits just off its button; 8 px keeps it off the window edge. */
const GAP_PX = 4;
const EDGE_PX = 8;

/**
 * A WAI-ARIA menu button: the button has aria-haspopup="menu"; the menu takes focus, arrows
 * move between items, Enter/Space pick, Esc or Tab close and give focus back. The menu is
 * positioned `fixed` from the button's rect so a scrolling board column cannot clip it.
 * Open state is the owner's, so a keyboard shortcut elsewhere can open it too.
 */
export function MenuButton({
  label,
  title,
  className,
  children,
  items,
  isOpen,
  onOpenChange,
}: {
  /** The button's accessible name. */
  label: string;
  title?: string;
  className?: string;
  children: ReactNode;
  items: readonly MenuItem[];
  isOpen: boolean;
  onOpenChange: (isOpen: boolean) => void;
}) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);
  const menuId = useId();

  const close = (refocus: boolean) => {
    onOpenChange(false);
    if (refocus) buttonRef.current?.focus();
  };

  useLayoutEffect(() => {
    if (!isOpen) {
      setPosition(null);
      return;
    }
    const button = buttonRef.current;
    const menu = menuRef.current;
    if (!button || !menu) return;
    const rect = button.getBoundingClientRect();
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    const below = rect.bottom + GAP_PX;
    const top = below + height > window.innerHeight - EDGE_PX ? Math.max(EDGE_PX, rect.top - GAP_PX - height) : below;
    const left = Math.min(Math.max(EDGE_PX, rect.right - width), window.innerWidth - EDGE_PX - width);
    setPosition({ top, left });
    // Positioned once per opening: the items do not change while it is open.
  }, [isOpen]);

  // Focus once placed: the menu is hidden (hence unfocusable) until its position is known.
  useEffect(() => {
    if (position === null) return;
    const first = itemRefs.current.find((el, i) => el && !items[i]?.isDisabled) ?? itemRefs.current[0];
    first?.focus();
    // Only when it is placed, not when the items change under an open menu.
  }, [position]);

  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) onOpenChange(false);
    };
    // A fixed menu would float away from its button on scroll or resize: close instead.
    const onScroll = (event: Event) => {
      if (!menuRef.current?.contains(event.target as Node)) onOpenChange(false);
    };
    const onResize = () => onOpenChange(false);
    document.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('scroll', onScroll, true);
    window.addEventListener('resize', onResize);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onResize);
    };
  }, [isOpen, onOpenChange]);

  function onMenuKeyDown(event: KeyboardEvent) {
    const enabled = itemRefs.current.filter((el, i): el is HTMLButtonElement => el !== null && !items[i]?.isDisabled);
    const index = enabled.findIndex((el) => el === document.activeElement);
    let next: HTMLButtonElement | undefined;
    if (event.key === 'ArrowDown') next = enabled[(index + 1) % enabled.length];
    else if (event.key === 'ArrowUp') next = enabled[(index - 1 + enabled.length) % enabled.length];
    else if (event.key === 'Home') next = enabled[0];
    else if (event.key === 'End') next = enabled[enabled.length - 1];
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // an Esc for the menu must not also close a dialog around it
      close(true);
      return;
    } else if (event.key === 'Tab') {
      close(false);
      return;
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
    // Keys typed in the menu are the menu's: the card around it has its own shortcuts.
    event.stopPropagation();
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className={className}
        aria-label={label}
        title={title}
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={isOpen ? menuId : undefined}
        onClick={() => onOpenChange(!isOpen)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !isOpen) {
            event.preventDefault();
            onOpenChange(true);
          }
        }}
      >
        {children}
      </button>
      {isOpen && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={label}
          className="menu popup"
          style={position ? { top: position.top, left: position.left } : { visibility: 'hidden' }}
          onKeyDown={onMenuKeyDown}
          // The board's drag sensor listens on the card: a press in the menu is not a drag.
          onPointerDown={(event) => event.stopPropagation()}
        >
          {items.map((item, i) => (
            <button
              key={item.key}
              ref={(el) => {
                itemRefs.current[i] = el;
              }}
              type="button"
              role="menuitem"
              className="menu-item"
              tabIndex={-1}
              aria-disabled={item.isDisabled ? true : undefined}
              onClick={() => {
                if (item.isDisabled) return;
                close(true);
                item.onSelect();
              }}
            >
              <span className="menu-item-label">{item.label}</span>
              {item.detail && <span className="menu-item-detail">{item.detail}</span>}
            </button>
          ))}
        </div>
      )}
    </>
  );
}
