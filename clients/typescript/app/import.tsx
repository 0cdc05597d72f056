// Import of leads into a campaign from a CSV (header row) or JSON file, or pasted text:
// the upload's progress, then the server's report: created, skipped as duplicates, and
// the rows it refused with the reason.
import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Problem, Schemas } from "../src/index.js";
import { KandidError, errorMessage, useKandid } from "../src/react/index.js";
import { label } from "./util.js";

type Report = Schemas["ImportResult"];
type Progress = { phase: "uploading" | "processing"; sent: number; total: number };

/** Posts `body` with upload progress (fetch has none); refusals throw `KandidError`. */
function upload(url: string, token: string | null, body: Blob, onProgress: (p: Progress) => void): Promise<Report> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("accept", "application/json");
    xhr.setRequestHeader("content-type", body.type);
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress({ phase: e.loaded < e.total ? "uploading" : "processing", sent: e.loaded, total: e.total });
    xhr.upload.onload = () => onProgress({ phase: "processing", sent: body.size, total: body.size });
    xhr.onerror = () => reject(new KandidError(0, undefined, { detail: "the server cannot be reached" }));
    xhr.onload = () => {
      let json: unknown;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json as Report);
      else reject(new KandidError(xhr.status, json as Problem | undefined));
    };
    xhr.send(body);
  });
}

/** CSV unless the text is a JSON array. */
const typeOf = (text: string, name = "") => (name.toLowerCase().endsWith(".json") || text.trimStart().startsWith("[") ? "application/json" : "text/csv");

export function ImportPanel({ campaignId }: { campaignId: string }) {
  const client = useKandid();
  const qc = useQueryClient();
  const [text, setText] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setReport(null);
    setError(null);
    const body = file ? new Blob([file], { type: typeOf(await file.slice(0, 64).text(), file.name) }) : new Blob([text], { type: typeOf(text) });
    setProgress({ phase: "uploading", sent: 0, total: body.size });
    try {
      const r = await upload(`/api/campaigns/${campaignId}/leads/import`, client.token, body, setProgress);
      setReport(r);
      // Live sync brings the new leads too; this page shows them at once, live view or not.
      void qc.invalidateQueries({ queryKey: ["kandid"] });
    } catch (err) {
      setError(err instanceof KandidError && err.status === 413 ? "The file is too large (imports take up to 50 MiB)." : errorMessage(err));
    } finally {
      setProgress(null);
    }
  }
  const busy = progress !== null;
  return (
    <details className="panel" data-test="import">
      <summary><h2>Import leads</h2></summary>
      <form onSubmit={submit}>
        <p className="muted">
          A CSV file with a header row (<code>name,email,company,title,linkedin_url,status,connection_status,notes</code>) or a JSON array of leads.
          Rows whose e-mail or LinkedIn URL is already in the campaign are skipped.
        </p>
        <label>File <input type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-test="import-file" /></label>
        {!file && <label>…or paste rows <textarea value={text} onChange={(e) => setText(e.target.value)} rows={4} placeholder={"name,email,company\nAda Lovelace,ada@example.com,Analytical"} data-test="import-text" /></label>}
        <div className="row">
          <button className="primary" disabled={busy || (!file && !text.trim())} data-test="import-submit">Import</button>
          {progress && (
            <span className="progress" role="status" data-test="import-progress">
              <progress max={progress.total || 1} value={progress.phase === "uploading" ? progress.sent : undefined} />{" "}
              {progress.phase === "uploading" ? `Uploading ${Math.round((100 * progress.sent) / (progress.total || 1))}%` : "Importing…"}
            </span>
          )}
        </div>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {report && (
        <div className="report" data-test="import-report" role="status">
          <p>
            <b data-test="import-created">{report.created}</b> created, <b data-test="import-skipped">{report.skipped}</b> skipped as duplicates,{" "}
            <b data-test="import-errors">{new Set(report.errors.map((r) => r.row)).size}</b> rows refused.
          </p>
          {report.errors.length > 0 && (
            <div className="scroll">
              <table>
                <thead><tr><th className="num">Row</th><th>Field</th><th>Problem</th></tr></thead>
                <tbody>
                  {report.errors.slice(0, 200).map((r, i) => (
                    <tr key={i} data-test="import-error"><td className="num">{r.row}</td><td>{label(r.field)}</td><td>{r.message}</td></tr>
                  ))}
                </tbody>
              </table>
              {report.errors.length > 200 && <p className="muted">…and {report.errors.length - 200} more.</p>}
            </div>
          )}
        </div>
      )}
    </details>
  );
}
