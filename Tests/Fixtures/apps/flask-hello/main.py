"""A Flask app with no `run`: the node finds the WSGI `app` in main.py."""
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/")
def index():
    return "<!doctype html><title>Hello</title><h1>Hello from Flask</h1>"


@app.route("/greet/<name>")
def greet(name):
    return {"hello": name, "query": request.args.get("q"), "micro": os.environ.get("DETA_SPACE_APP_MICRO_NAME")}


@app.route("/upload", methods=["POST"])
def upload():
    return {"bytes": len(request.get_data())}
