import { describe, expect, it } from 'vitest';
import { DocumentError } from '../document.js';
import { completeSubmissionOf, ownershipXmlOf, parseFilingIndex } from './filing-index.js';

const ORIGIN = 'http://127.0.0.1:8080/Archives/edgar/data/1673421/000106299323014799/0001062993-23-014799-index.htm';

/** An index page laid out as EDGAR lays out `…-index.htm` (the parts the parser reads). */
function indexPage(rows: readonly [string, string, string, string][]): string {
  const tr = rows
    .map(
      ([seq, description, href, type], i) => `<tr${i % 2 ? ' class="blueRow"' : ''}>
         <td scope="row">${seq}</td>
         <td scope="row">${description}</td>
         <td scope="row"><a href="${href}">${href.slice(href.lastIndexOf('/') + 1)}</a></td>
         <td scope="row">${type}</td>
         <td scope="row">4321</td>
       </tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html><body><div id="formDiv"><div class="formGrouping">
    <div class="infoHead">Filing Date</div><div class="info">2023-07-11</div>
    <div class="infoHead">Accepted</div>
    <div class="info">2023-07-11 12:28:59</div></div>
    <table class="tableFile" summary="Document Format Files">
      <tr><th scope="col">Seq</th><th scope="col">Description</th><th scope="col">Document</th><th scope="col">Type</th><th scope="col">Size</th></tr>
      ${tr}
    </table></div></body></html>`;
}

const FOLDER = '/Archives/edgar/data/1673421/000106299323014799';

describe('parseFilingIndex', () => {
  const page = indexPage([
    ['1', 'FORM 4', `${FOLDER}/xslF345X05/wk-form4_1689092934.xml`, '4'],
    ['1', 'FORM 4', `${FOLDER}/wk-form4_1689092934.xml`, '4'],
    ['2', 'POWER OF ATTORNEY', `${FOLDER}/poa.htm`, 'EX-24'],
    ['&nbsp;', 'Complete submission text file', `${FOLDER}/0001062993-23-014799.txt`, '&nbsp;'],
  ]);
  const index = parseFilingIndex({ origin: ORIGIN, body: Buffer.from(page) });

  it('lists the documents, resolved against the page, with their types', () => {
    expect(index.documents).toHaveLength(4);
    expect(index.documents[2]).toEqual({
      sequence: '2',
      description: 'POWER OF ATTORNEY',
      url: `http://127.0.0.1:8080${FOLDER}/poa.htm`,
      name: 'poa.htm',
      type: 'EX-24',
    });
    expect(index.documents[3]!.type).toBeNull();
    expect(index.acceptedAt).toBe(Date.UTC(2023, 6, 11, 16, 28, 59));
  });

  it('picks the raw ownership XML, not its rendered copy, and the complete submission', () => {
    expect(ownershipXmlOf(index, '4')?.url).toBe(`http://127.0.0.1:8080${FOLDER}/wk-form4_1689092934.xml`);
    expect(ownershipXmlOf(index, '4/A')).toBeNull();
    expect(completeSubmissionOf(index)?.name).toBe('0001062993-23-014799.txt');
  });

  it('a page without the document table is DOCUMENT_FORMAT', () => {
    const run = () => parseFilingIndex({ origin: ORIGIN, body: Buffer.from('<html><body>Your request has been blocked</body></html>') });
    expect(run).toThrow(DocumentError);
    expect(run).toThrow(/Document Format Files/);
  });
});
