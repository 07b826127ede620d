// Pages by path, with the History API: the local cloud answers every page's URL with index.html.
export interface Page {
  element: HTMLElement;
  dispose?: () => void;
}

export type Params = Record<string, string>;
export type PageFactory = (params: Params) => Page;

interface Route {
  pattern: RegExp;
  names: string[];
  page: PageFactory;
}

export class Router {
  private readonly routes: Route[] = [];

  add(path: string, page: PageFactory): this {
    const names: string[] = [];
    const source = path.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    this.routes.push({ pattern: new RegExp(`^${source}/?$`), names, page });
    return this;
  }

  match(path: string): { page: PageFactory; params: Params } | null {
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (found !== null) {
        const params: Params = {};
        route.names.forEach((name, index) => {
          params[name] = decodeURIComponent(found[index + 1] ?? "");
        });
        return { page: route.page, params };
      }
    }
    return null;
  }
}
