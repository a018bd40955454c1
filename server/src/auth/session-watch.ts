/** The signed-in WebSockets' sessions, so that a session that ends (here or on a peer) closes them. */
export class SessionWatch {
  private readonly byUser = new Map<string, Map<symbol, { token: string; onEnd: () => void }>>();

  /** Watches a token; returns the unsubscribe. */
  add(username: string, token: string, onEnd: () => void): () => void {
    let mine = this.byUser.get(username);
    if (!mine) {
      mine = new Map<symbol, { token: string; onEnd: () => void }>();
      this.byUser.set(username, mine);
    }
    const id = Symbol(username);
    mine.set(id, { token, onEnd });
    return () => {
      mine.delete(id);
      if (mine.size === 0 && this.byUser.get(username) === mine) this.byUser.delete(username);
    };
  }

  get size(): number {
    let n = 0;
    for (const mine of this.byUser.values()) n += mine.size;
    return n;
  }

  /** Ends (once) every watched session of `username`, or of everyone, that is no longer `valid`. */
  recheck(username: string | undefined, valid: (token: string) => boolean): void {
    const users = username === undefined ? [...this.byUser.keys()] : [username];
    for (const user of users) {
      const mine = this.byUser.get(user);
      for (const [id, watcher] of mine ?? []) {
        if (valid(watcher.token)) continue;
        mine?.delete(id);
        watcher.onEnd();
      }
      if (mine?.size === 0) this.byUser.delete(user);
    }
  }
}
