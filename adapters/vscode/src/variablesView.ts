// The Variables view: a tree of the kernel's variables (name, type, short value; containers and objects
// expand), from the bridge's `variables` method, which the kernel answers on its control channel without running
// user code, so refreshing while a cell runs is safe. Refreshed after every run.

import * as vscode from "vscode";

import type { KernelLink } from "./kernelLink";
import type { VariableRow } from "./protocol";

export class VariableItem extends vscode.TreeItem {
  constructor(readonly row: VariableRow) {
    super(
      row.name,
      row.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    const size = row.size === null || row.size === undefined ? "" : ` (${row.size})`;
    this.tooltip = `${row.name}: ${row.type}${size}\n${row.value}`;
    this.id = JSON.stringify(row.path);
    this.contextValue = row.expandable ? "container" : "value";
    this.description = `${shortType(row.type)}${size} = ${row.value}`;
  }
}

function shortType(type: string): string {
  const dot = type.lastIndexOf(".");
  return dot < 0 ? type : type.slice(dot + 1);
}

export class VariablesProvider implements vscode.TreeDataProvider<VariableItem> {
  private readonly changed = new vscode.EventEmitter<VariableItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private message: string | null = null;

  constructor(private readonly link: KernelLink) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(item: VariableItem): vscode.TreeItem {
    return item;
  }

  async getChildren(parent?: VariableItem): Promise<VariableItem[]> {
    if (!this.link.running) return [];
    try {
      const result = await this.link.variables(parent ? parent.row.path : null);
      this.message = null;
      const items = result.variables.map((row) => new VariableItem(row));
      if (result.truncated > 0) {
        const more: VariableRow = {
          name: `… ${result.truncated} more`,
          type: "",
          value: "",
          size: null,
          expandable: false,
          path: [...(parent?.row.path ?? []), `…${result.truncated}`],
        };
        items.push(new VariableItem(more));
      }
      return items;
    } catch (err) {
      // a path that no longer exists (the cell changed the variable), or the kernel went away: show nothing
      this.message = err instanceof Error ? err.message : String(err);
      return [];
    }
  }

  get lastError(): string | null {
    return this.message;
  }
}
