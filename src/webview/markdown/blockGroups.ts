/**
 * Groups of finished blocks for a long reply. The browser lays a container's children out
 * together: with thousands of top-level blocks every streamed or "show all" slice laid the whole
 * reply out again, and painted it (quadratic: 94 s busy for a 1 MB reply). In a long reply the
 * finished blocks go into groups of about GROUP_CHARS of source, each with
 * `content-visibility: auto` (markdownStyles.ts): a group off screen is neither laid out nor
 * painted, and only about a hundred groups per megabyte are watched for visibility (one watcher
 * per block cost as much as the layout it saved).
 *
 * Groups are layout only: the blocks inside are the same nodes in the same order. Which blocks
 * share a group depends only on the sequence of finished blocks (greedy by size), so a reply
 * drawn at once and one that grew into a long reply are grouped alike.
 */
export const GROUP_CHARS = 8 * 1024;
export const GROUP_BLOCKS = 64;
const CLASS = 'md-group';

export interface Group {
  readonly el: HTMLElement;
  chars: number;
  blocks: number;
}

/** A finished block as the view keeps it. */
export interface PlacedBlock {
  readonly chars: number;
  nodes: ChildNode[];
  group: Group | undefined;
}

export class BlockGroups {
  private groups: Group[] = [];
  private on = false;

  constructor(private readonly root: HTMLElement) {}

  get active(): boolean {
    return this.on;
  }

  /** Inserts a finished block's nodes before `anchor` (the open tail): into the last group when grouping. */
  insert(block: PlacedBlock, anchor: ChildNode | null): void {
    if (!this.on) {
      for (const node of block.nodes) this.root.insertBefore(node, anchor);
      block.group = undefined;
      return;
    }
    let group = this.groups.at(-1);
    if (!group || (group.blocks > 0 && (group.chars + block.chars > GROUP_CHARS || group.blocks >= GROUP_BLOCKS))) {
      const el = document.createElement('div');
      el.className = CLASS;
      this.root.insertBefore(el, anchor);
      group = { el, chars: 0, blocks: 0 };
      this.groups.push(group);
    }
    group.el.append(...block.nodes);
    group.chars += block.chars;
    group.blocks++;
    block.group = group;
  }

  /** A finished block was dropped (its nodes already removed): its group shrinks, and goes once empty. */
  removed(block: PlacedBlock): void {
    const { group } = block;
    if (!group) return;
    group.chars -= block.chars;
    group.blocks--;
    if (group.blocks > 0) return;
    group.el.remove();
    this.groups.splice(this.groups.indexOf(group), 1);
  }

  /** Turns grouping on or off, moving the finished blocks drawn so far (in order) into groups or out. */
  set(on: boolean, blocks: readonly PlacedBlock[], anchor: ChildNode | null): void {
    if (on === this.on) return;
    this.on = on;
    if (on) {
      for (const block of blocks) this.insert(block, anchor);
      return;
    }
    for (const group of this.groups) group.el.replaceWith(...group.el.childNodes);
    for (const block of blocks) block.group = undefined;
    this.groups = [];
  }

  /** The root was emptied: no groups are left (grouping stays as it was). */
  cleared(): void {
    this.groups = [];
  }
}
