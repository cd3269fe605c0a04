import { onBeforeUnmount, onMounted, type Ref } from 'vue';

/** Closes a menu when the researcher presses anywhere outside it, as menus do. */
export function closeOnOutsidePointer(root: Ref<HTMLElement | undefined>, close: () => void): void {
  const onPointer = (event: PointerEvent): void => {
    if (root.value && !root.value.contains(event.target as Node)) close();
  };
  onMounted(() => document.addEventListener('pointerdown', onPointer, true));
  onBeforeUnmount(() => document.removeEventListener('pointerdown', onPointer, true));
}
