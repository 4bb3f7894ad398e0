// Print every occurrence of every event between two dates as UTC instants, read with ical.js
// (the VTIMEZONE embedded in the file is what ical.js uses).
import ICAL from "ical.js";
import { readFileSync } from "node:fs";
const [file, from, to] = process.argv.slice(2);
const comp = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
for (const vtz of comp.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
}
const start = ICAL.Time.fromDateTimeString(from + "T00:00:00Z");
const end = ICAL.Time.fromDateTimeString(to + "T00:00:00Z");
const out = [];
for (const ve of comp.getAllSubcomponents("vevent")) {
  const ev = new ICAL.Event(ve);
  const it = ev.iterator();
  let next;
  while ((next = it.next())) {
    if (next.compare(end) >= 0) break;
    if (next.compare(start) < 0) continue;
    out.push(next.toJSDate().toISOString() + " " + ev.summary);
  }
}
out.sort();
console.log(out.join("\n"));
