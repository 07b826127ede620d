import type { Level } from "../api/types";
import { h } from "./dom";

const LEVEL_NAMES: Record<Level, string> = {
  red: "Red: getting started",
  yellow: "Yellow: making progress",
  green: "Green: comfortable",
  blue: "Blue: mastered",
};

/** The level in words and in its colour (never colour alone). */
export function levelBadge(level: Level): HTMLElement {
  return h("span", { class: `level level-${level}`, "data-level": level }, LEVEL_NAMES[level]);
}

export function levelColour(level: Level): string {
  return { red: "#c62828", yellow: "#f9a825", green: "#2e7d32", blue: "#1565c0" }[level];
}
