// Row labels as an organizer types them, and back.

// "A-D" → A, B, C, D; "R1-R40" → R1 … R40; "A, C, F" as listed. Anything else stays as typed,
// one label per comma, and the API says what is wrong with it.
export function parseRows(text) {
  const rows = [];
  for (const part of String(text).split(',').map((p) => p.trim()).filter(Boolean)) {
    const letters = /^([A-Za-z])\s*-\s*([A-Za-z])$/.exec(part);
    const numbers = /^([A-Za-z]*)(\d+)\s*-\s*\1(\d+)$/.exec(part);
    if (letters && letters[1].charCodeAt(0) <= letters[2].charCodeAt(0)) {
      for (let c = letters[1].charCodeAt(0); c <= letters[2].charCodeAt(0); c++) rows.push(String.fromCharCode(c));
    } else if (numbers && Number(numbers[2]) <= Number(numbers[3]) && Number(numbers[3]) - Number(numbers[2]) < 1000) {
      for (let n = Number(numbers[2]); n <= Number(numbers[3]); n++) rows.push(`${numbers[1]}${n}`);
    } else {
      rows.push(part);
    }
  }
  return rows;
}

// Rows back to the shortest text parseRows reads the same.
export function rowsText(labels) {
  if (labels.length > 2 && labels.every((l) => /^[A-Z]$/.test(l)) && labels.every((l, i) => i === 0 || l.charCodeAt(0) === labels[i - 1].charCodeAt(0) + 1)) {
    return `${labels[0]}-${labels[labels.length - 1]}`;
  }
  const m = labels.map((l) => /^([A-Za-z]*)(\d+)$/.exec(l));
  if (labels.length > 2 && m.every((x, i) => x && x[1] === m[0][1] && (i === 0 || Number(x[2]) === Number(m[i - 1][2]) + 1))) {
    return `${labels[0]}-${labels[labels.length - 1]}`;
  }
  return labels.join(', ');
}
