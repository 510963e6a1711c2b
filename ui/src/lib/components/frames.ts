/**
 * Runs `then` in a task after two animation frames, and returns what cancels it. The second
 * frame's callbacks run only once the engine has handed the first frame on for display, so
 * whatever `then` draws does not compete with that frame on its way to the window: at start-up
 * in WebKitGTK, work done after a single frame brought the first frame to the window's pixels
 * about 7 ms later.
 */
export function afterFrameShown(then: () => void): () => void {
  let task: ReturnType<typeof setTimeout> | undefined;
  let frame = requestAnimationFrame(() => {
    frame = requestAnimationFrame(() => {
      task = setTimeout(then);
    });
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(task);
  };
}
