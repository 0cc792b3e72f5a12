// callfirst web: small helpers on top of pages that work without them.
// Text from the server is put in with textContent only, never as markup.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

// The note is checked for oversharing as it is typed, by the same check the preview runs.
function watchNote(note) {
  const list = document.getElementById("note-issues");
  const reasonField = document.getElementById(note.dataset.reasonField || "");
  let timer = null;
  let asked = 0;
  async function check() {
    const ask = ++asked;
    const body = new URLSearchParams({ note: note.value, reason: reasonField ? reasonField.value : "" });
    try {
      const response = await fetch(note.dataset.checkUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
        body: body,
        credentials: "same-origin",
      });
      if (!response.ok || ask !== asked) return;
      const found = await response.json();
      list.replaceChildren(
        ...found.issues.map((issue) => {
          const item = document.createElement("li");
          const what = issue.what.charAt(0).toUpperCase() + issue.what.slice(1);
          item.textContent = `${what} ("${issue.found}"): ${issue.suggestion}`;
          return item;
        }),
      );
    } catch (error) {
      // The preview still runs the check.
    }
  }
  note.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
  if (reasonField) reasonField.addEventListener("change", check);
}

// The agreed time, typed in their zone, is also written in yours.
function watchAgreed(input) {
  const out = document.getElementById("agreed-yours");
  async function show() {
    if (!input.value) {
      out.textContent = "";
      return;
    }
    const query = new URLSearchParams({ at: input.value, zone: input.dataset.zone });
    try {
      const response = await fetch(`${input.dataset.timesUrl}?${query}`, { credentials: "same-origin" });
      const found = await response.json();
      out.textContent = response.ok ? `That is ${found.yours} for you.` : "";
    } catch (error) {
      out.textContent = "";
    }
  }
  input.addEventListener("change", show);
  input.addEventListener("input", show);
}

// Copy the email's text.
function copyButton(button) {
  const source = document.getElementById(button.dataset.copy);
  const done = document.getElementById("copy-done");
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      done.textContent = "Copied. Paste it into a new email.";
    } catch (error) {
      source.select();
      done.textContent = "Select the text below and copy it.";
    }
  });
}

// A file dropped on the box, or chosen, opens at once.
function dropzone(zone) {
  const input = zone.querySelector('input[type="file"]');
  const form = zone.closest("form");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      form.requestSubmit();
    }
  });
  input.addEventListener("change", () => {
    if (input.files.length) form.requestSubmit();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("textarea[data-check-url]").forEach(watchNote);
  document.querySelectorAll("input[data-times-url]").forEach(watchAgreed);
  document.querySelectorAll("button[data-copy]").forEach(copyButton);
  document.querySelectorAll("[data-dropzone]").forEach(dropzone);
});
