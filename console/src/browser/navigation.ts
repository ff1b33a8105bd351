/**
 * What a details view may ask of the browser that made it: open another
 * item's details, print a topic, or re-read the lists (after a change).
 */
export interface BrowserNavigation {
  /** Shows stream or table `name`'s DESCRIBE … EXTENDED in the Details tab. */
  showSource(name: string): void;
  /** Shows persistent query `id`'s EXPLAIN in the Details tab. */
  showQuery(id: string): void;
  /** Shows topic `name` in the Details tab. */
  showTopic(name: string): void;
  /** Runs `PRINT '<topic>' FROM BEGINNING;` into the Results tab. */
  printTopic(name: string): void;
  /** Re-reads the streams, tables, topics and queries now. */
  refresh(): void;
}
