extension AppTemplate {
    /// A FastAPI app keeping a list of items in its Base, with a page at `/` and a JSON API at
    /// `/api/items`. `deta` comes from the node (it stands in for PyPI's), so only FastAPI is required.
    static func python(name: String) -> AppTemplate {
        AppTemplate(files: [
            ("Spacefile", pythonSpacefile(name: name)),
            ("main.py", pythonMain(name: name)),
            ("index.html", pythonPage(name: name)),
            ("requirements.txt", "fastapi\n"),
            (".spaceignore", spaceignore),
            ("Discovery.md", discovery(name: name, tagline: "A short list of things, kept in your own space")),
            (
                "README.md",
                readme(
                    name: name, about: "A small FastAPI app that keeps a list of items in its Base.",
                    develop: """
                        `main.py` is the app: `GET /api/items`, `POST /api/items` with `{"text": "…"}`, \
                        `GET` and `DELETE /api/items/<key>`. `index.html` is the page at `/`. The \
                        `deta` module reaches the instance's own Base; there is no key to configure.
                        """)
            ),
        ])
    }

    private static func pythonSpacefile(name: String) -> String {
        """
        # Spacefile Docs: https://go.deta.dev/docs/spacefile/v0
        v: 0
        micros:
          - name: \(name.lowercased())
            src: .
            engine: python3.9
            primary: true

        """
    }

    private static func pythonMain(name: String) -> String {
        """
        \"\"\"\(name): a list of items kept in the app's Base, with a JSON API and a page.\"\"\"
        import time
        from pathlib import Path

        from deta import Deta
        from fastapi import FastAPI, HTTPException
        from fastapi.responses import FileResponse
        from pydantic import BaseModel, Field

        app = FastAPI(title="\(name)")
        items = Deta().Base("items")
        PAGE = Path(__file__).parent / "index.html"


        class NewItem(BaseModel):
            text: str = Field(min_length=1, max_length=500)


        @app.get("/")
        def page():
            return FileResponse(PAGE)


        @app.get("/api/items")
        def list_items():
            result = items.fetch()
            found = result.items
            while result.last:
                result = items.fetch(last=result.last)
                found += result.items
            return sorted(found, key=lambda item: item.get("created_at", 0))


        @app.post("/api/items", status_code=201)
        def add_item(item: NewItem):
            return items.put({"text": item.text.strip(), "created_at": time.time()})


        @app.get("/api/items/{key}")
        def get_item(key: str):
            item = items.get(key)
            if item is None:
                raise HTTPException(status_code=404, detail="No such item")
            return item


        @app.delete("/api/items/{key}")
        def delete_item(key: str):
            items.delete(key)
            return {"key": key}

        """
    }

    private static func pythonPage(name: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width,initial-scale=1">
          <title>\(name)</title>
          <style>
            body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
            form { display: flex; gap: .5rem; }
            input { flex: 1; padding: .5rem; font: inherit; }
            button { font: inherit; }
            li { display: flex; justify-content: space-between; padding: .25rem 0; border-bottom: 1px solid #eee; }
          </style>
        </head>
        <body>
          <h1>\(name)</h1>
          <form id="add"><input name="text" placeholder="Something to keep" required maxlength="500"><button>Add</button></form>
          <ul id="items"></ul>
          <script>
            const list = document.getElementById("items");
            async function load() {
              const items = await (await fetch("api/items")).json();
              list.replaceChildren(...items.map((item) => {
                const row = document.createElement("li");
                const remove = document.createElement("button");
                row.textContent = item.text;
                remove.textContent = "Delete";
                remove.onclick = async () => { await fetch("api/items/" + encodeURIComponent(item.key), { method: "DELETE" }); load(); };
                row.append(remove);
                return row;
              }));
            }
            document.getElementById("add").onsubmit = async (event) => {
              event.preventDefault();
              const text = event.target.text.value;
              await fetch("api/items", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }) });
              event.target.reset();
              load();
            };
            load();
          </script>
        </body>
        </html>

        """
    }
}
